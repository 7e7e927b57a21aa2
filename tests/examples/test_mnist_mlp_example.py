"""examples/mnist/train_mnist.py (the classic MLP) with tiny settings on
the bundled MNIST sample: outputs, accuracy far above chance, resume."""
import importlib.util
import json
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _load():
    path = os.path.join(ROOT, 'examples', 'mnist', 'train_mnist.py')
    spec = importlib.util.spec_from_file_location('train_mnist', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(out, *args):
    return _load().main(['--unit', '50', '--out', str(out),
                         '--no-progress'] + list(args))


def _log(out):
    return json.loads((out / 'log').read_text())


def test_one_epoch_writes_outputs_and_learns(tmp_path, capsys):
    out = tmp_path / 'result'
    accuracy = _run(out, '--epoch', '1')
    assert accuracy > 0.6   # chance is 0.1
    log = _log(out)
    assert len(log) == 1
    entry = log[0]
    assert entry['epoch'] == 1 and entry['iteration'] == 40  # 4000 / 100
    for key in ('main/loss', 'main/accuracy', 'validation/main/loss',
                'validation/main/accuracy', 'elapsed_time'):
        assert key in entry, key
    assert entry['validation/main/accuracy'] == pytest.approx(accuracy)
    assert (out / 'snapshot_iter_40').exists()
    graph = (out / 'cg.dot').read_text()
    assert graph.startswith('digraph')
    assert graph.count('LinearFunction') == 3
    assert 'SoftmaxCrossEntropy' in graph
    if _load().extensions.PlotReport.available():
        assert (out / 'loss.png').exists()
        assert (out / 'accuracy.png').exists()
    printed = capsys.readouterr().out
    assert 'validation/main/accuracy' in printed
    assert 'final test accuracy' in printed


def test_resume_from_snapshot_continues_exactly(tmp_path):
    first = tmp_path / 'first'
    _run(first, '--epoch', '1', '--noplot')
    resumed = tmp_path / 'resumed'
    accuracy = _run(resumed, '--epoch', '2', '--noplot', '--resume',
                    str(first / 'snapshot_iter_40'))
    log = _log(resumed)
    assert [e['iteration'] for e in log] == [40, 80]
    assert log[0] == _log(first)[0]   # restored with the trainer
    assert (resumed / 'snapshot_iter_80').exists()

    # The same as two epochs without interruption.
    straight = tmp_path / 'straight'
    expected = _run(straight, '--epoch', '2', '--noplot')
    assert accuracy == expected
    for key in ('main/loss', 'validation/main/loss'):
        assert log[1][key] == _log(straight)[1][key]


def test_max_iterations_and_frequency(tmp_path):
    out = tmp_path / 'short'
    accuracy = _run(out, '--max-iterations', '3', '--noplot',
                    '--batchsize', '20')
    assert accuracy is None   # stopped before an epoch (and an evaluation)
    assert not (out / 'log').exists() or _log(out) == []
    assert (out / 'cg.dot').exists()
