"""examples/mnist/train_mnist_data_parallel.py on 2 MPI processes with tiny
settings (skipped where mpiexec or mpi4py is missing)."""
import json
import os

import pytest

from dynet.distributed import _launcher

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, 'examples', 'mnist',
                      'train_mnist_data_parallel.py')


def test_two_processes_train_and_report_once(tmp_path):
    reason = _launcher.why_unavailable()
    if reason is not None:
        pytest.skip(reason)
    out = tmp_path / 'result'
    result = _launcher.run_python(
        2, SCRIPT, ['--epoch', '1', '--unit', '50', '--no-progress',
                    '--checkpoint', '10', '--out', out], timeout=120)
    report = '{}\n{}'.format(result.stdout[-4000:], result.stderr[-4000:])
    assert result.returncode == 0, report
    # Rank 0 alone prints and logs.
    assert result.stdout.count('Number of processes: 2') == 1, report
    assert result.stdout.count('final test accuracy') == 1, report
    accuracy = float(result.stdout.split('final test accuracy:')[1].split()[0])
    assert accuracy > 0.5   # chance is 0.1
    log = json.loads((out / 'log').read_text())
    assert len(log) == 1
    # 4,000 training digits, 100 per process and step, 2 processes.
    assert log[0]['iteration'] == 20 and log[0]['epoch'] == 1
    assert log[0]['validation/main/accuracy'] == pytest.approx(accuracy)
    # The checkpoints of a run that ended well are removed.
    assert not [p for p in os.listdir(out) if p.startswith('mnist.')]
