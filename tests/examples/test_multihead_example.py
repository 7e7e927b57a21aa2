import importlib.util
import json
import multiprocessing
import os
import subprocess
import sys

import numpy
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
FOLDER = os.path.join(ROOT, 'examples', 'multihead')
TINY = ['--epoch', '2', '--samples', '300', '100', '--size', '14',
        '--channels', '8', '--features', '32', '--batchsize', '20',
        '--lr', '1e-2']


def _load(name):
    sys.path.insert(0, FOLDER)
    try:
        spec = importlib.util.spec_from_file_location(
            name, os.path.join(FOLDER, name + '.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(FOLDER)
    return module


def _predict(*args):
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    return subprocess.run(
        [sys.executable, os.path.join(FOLDER, 'predict.py')] + list(args),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, env=env, timeout=120)


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp('multihead')
    model, accuracy = _load('train').main(TINY + ['--out', str(out)])
    return out, model, accuracy


def test_training_learns_both_heads_and_logs_them(trained, capsys):
    out, model, accuracy = trained
    assert sorted(accuracy) == ['digit', 'parity']
    assert accuracy['digit'] > 0.35  # 10 classes
    assert accuracy['parity'] > 0.65
    log = json.loads((out / 'log').read_text())
    assert [entry['epoch'] for entry in log] == [1, 2]
    for key in ('main/loss', 'validation/main/loss', 'digit/accuracy',
                'parity/loss', 'validation/digit/accuracy',
                'validation/parity/loss'):
        assert key in log[-1], key
    # the base's loss is the sum of the heads' losses
    assert log[0]['main/loss'] == pytest.approx(
        log[0]['digit/loss'] + log[0]['parity/loss'], rel=1e-4)
    assert log[1]['main/loss'] < log[0]['main/loss']
    saved = numpy.load(str(out / 'model.npz'))
    assert sorted(saved.files) == sorted(
        ['base/conv1/W', 'base/conv1/b', 'base/conv2/W', 'base/conv2/b',
         'base/fc/W', 'base/fc/b', 'digit/W', 'digit/b', 'parity/W',
         'parity/b'])


def test_generated_images_and_dataset(trained):
    out = trained[0]
    data = _load('data')
    lines = (out / 'data' / 'train.txt').read_text().splitlines()
    assert len(lines) == 300
    dataset = data.ImageListDataset(str(out / 'data' / 'train.txt'), 14)
    image, labels = dataset[3]
    assert image.dtype == numpy.float32 and image.shape == (1, 14, 14)
    assert 0 <= image.min() and image.max() <= 1 and image.max() > 0.5
    assert labels.dtype == numpy.int32 and labels.shape == (2,)
    assert labels[1] == labels[0] % 2
    assert int(lines[3].split()[1]) == labels[0]
    x, t = data.convert_batch(dataset[:5])
    assert x.shape == (5, 1, 14, 14) and t.shape == (5, 2)
    assert data.ImageListDataset(
        str(out / 'data' / 'train.txt'), 28)[3][0].shape == (1, 28, 28)


def test_restore_in_new_process_gives_same_scores(trained, tmp_path):
    out, model, accuracy = trained
    test_list = str(out / 'data' / 'test.txt')
    scores_path = str(tmp_path / 'scores.npz')
    result = _predict(str(out / 'model.npz'), test_list,
                      '--scores', scores_path)
    assert result.returncode == 0, result.stderr
    assert 'test accuracy of head digit: {:.4f}'.format(
        accuracy['digit']) in result.stdout
    restored = numpy.load(scores_path)
    reference = _load('predict').scores(
        model, _load('data').ImageListDataset(test_list, 14))
    for name in ('digit', 'parity'):
        numpy.testing.assert_array_equal(restored[name], reference[name])


@pytest.mark.parametrize('args, message', [
    (['--channels', '4'], "'base/conv1/W'"),
    (['--heads', 'digit:10,odd:2'], "'odd/W' is not in"),
    (['--heads', 'digit:5,parity:2'], "'digit/W'"),
])
def test_restore_mismatch_is_a_clear_error(trained, args, message):
    out = trained[0]
    result = _predict(str(out / 'model.npz'),
                      str(out / 'data' / 'test.txt'), *args)
    assert result.returncode != 0
    assert 'does not fit this model' in result.stderr
    assert message in result.stderr
    assert 'Traceback' not in result.stderr
    assert 'test accuracy' not in result.stdout


def test_loader_workers_give_the_same_run_and_stop(trained, tmp_path):
    out = tmp_path / 'loaderjob'
    # the same settings and seed as the serial run of the fixture
    _, accuracy = _load('train').main(
        TINY + ['--out', str(out), '--loaderjob', '2'])
    assert accuracy == trained[2]
    serial = json.loads((trained[0] / 'log').read_text())
    workers = json.loads((out / 'log').read_text())
    for a, b in zip(serial, workers):
        assert a['main/loss'] == pytest.approx(b['main/loss'], rel=1e-6)
    assert multiprocessing.active_children() == []
