import importlib.util
import os

import numpy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _load():
    path = os.path.join(ROOT, 'examples', 'regression', 'train.py')
    spec = importlib.util.spec_from_file_location('regression_train', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_learns_the_ground_truth_and_writes_the_graph(tmp_path, capsys,
                                                      monkeypatch):
    example = _load()
    w, b, trajectory, loss = example.train()
    numpy.testing.assert_allclose(w.array, example.TRUE_W, atol=0.15)
    assert abs(float(b.array[0]) - example.TRUE_B) < 0.15
    assert len(trajectory) == 100 and trajectory[-1][-1] < 1.5
    monkeypatch.setattr('sys.argv', ['train.py', '--out', str(tmp_path),
                                     '--iterations', '5'])
    example.main()
    dot = (tmp_path / 'graph.dot').read_text()
    assert dot.startswith('digraph') and 'w: (2), float32' in dot
    assert 'learned w' in capsys.readouterr().out
