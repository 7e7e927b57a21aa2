import importlib.util
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _load():
    path = os.path.join(ROOT, 'examples', 'mnist', 'train_lenet.py')
    spec = importlib.util.spec_from_file_location('train_lenet', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lenet_short_run_writes_all_outputs(tmp_path, capsys):
    example = _load()
    out = tmp_path / 'lenet'
    accuracy = example.main(['--iterations', '40', '--out', str(out),
                             '--no-progress'])
    assert accuracy > 0.7
    log = json.loads((out / 'log').read_text())
    assert len(log) == 40 and 'main/loss' in log[0]
    assert 'main/accuracy' in log[0] and 'lr' in log[0]
    # the rate used by update 40, before that iteration's decay
    assert abs(log[-1]['lr'] - 0.1 * 0.999 ** 39) < 1e-6
    params = json.loads((out / 'params_log').read_text())
    assert any(key.endswith('/W/grad/std') for key in params[0])
    for name in ('snapshot_iter_20', 'snapshot_iter_40', 'train.dot',
                 'deploy.dot'):
        assert (out / name).exists(), name
    assert 'Softmax' in (out / 'deploy.dot').read_text()
    printed = capsys.readouterr().out
    assert 'test accuracy' in printed and 'deploy model' in printed
