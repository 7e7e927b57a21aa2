import importlib.util
import json
import os
import sys

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet.training import extensions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CIFAR = os.path.join(ROOT, 'examples', 'cifar')


def _load(name):
    spec = importlib.util.spec_from_file_location(
        'cifar_' + name, os.path.join(CIFAR, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def models():
    return _load('models')


@pytest.fixture(scope='module')
def example():
    module = _load('train')
    yield module
    # train.py puts its folder on sys.path to import models
    if CIFAR in sys.path:
        sys.path.remove(CIFAR)


@pytest.fixture(scope='module')
def tiny_tree(tmp_path_factory, example):
    root = str(tmp_path_factory.mktemp('cifar') / 'tree')
    example.make_synthetic_tree(root, n_train=6, n_test=2, seed=0)
    return root


def _batch(n=4, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-1, 1, (n, 3, 32, 32)).astype(numpy.float32)
    t = (numpy.arange(n) % 10).astype(numpy.int32)
    return x, t


@pytest.mark.parametrize('name', ['linear', 'mlp', 'cnn', 'bncnn',
                                  'deepcnn', 'resnet', 'shakeshake'])
def test_model_forward_backward(models, name):
    numpy.random.seed(0)
    model = L.Classifier(models.build(name, small=True))
    x, t = _batch()
    loss = model(x, t)
    assert loss.shape == () and numpy.isfinite(loss.array)
    model.cleargrads()
    loss.backward()
    params = list(model.params())
    assert params
    for param in params:
        assert param.grad is not None, param.name
        assert numpy.isfinite(param.grad).all()
    # the first layer receives a gradient
    assert any(abs(p.grad).sum() > 0 for p in params)
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        y = model.predictor(x)
    assert y.shape == (4, 10)


def test_full_size_models_build(models):
    x, _ = _batch(2)
    for name in models.MODELS:
        with dynet.using_config('train', False), dynet.no_backprop_mode():
            assert models.build(name).__call__(x).shape == (2, 10)


def test_synthetic_tree_and_loading(example, tiny_tree):
    train, test, names = example.load_tree(tiny_tree)
    assert names == sorted(example.CLASS_NAMES)
    assert len(train) == 60 and len(test) == 20
    image, label = train[0]
    assert image.shape == (3, 32, 32) and image.dtype == numpy.float32
    assert -1 <= image.min() and image.max() <= 1
    assert label.dtype == numpy.int32
    # classes differ: per-class mean images are not all alike
    means = [numpy.mean([train[i][0] for i in range(6 * c, 6 * c + 6)],
                        axis=0) for c in range(10)]
    assert numpy.abs(means[0] - means[1]).mean() > 0.05


def test_short_training_run(example, tiny_tree, tmp_path, capsys):
    out = tmp_path / 'out'
    accuracy = example.main(['--model', 'bncnn', '--small', '--data',
                             tiny_tree, '--epoch', '2', '--batchsize', '10',
                             '--loaderjob', '1', '--out', str(out)])
    assert 0 <= accuracy <= 1
    log = json.loads((out / 'log').read_text())
    assert [entry['epoch'] for entry in log] == [1, 2]
    for key in ('main/loss', 'main/accuracy', 'validation/main/loss',
                'validation/main/accuracy'):
        assert key in log[-1]
    assert log[-1]['main/loss'] < log[0]['main/loss'] + 1.0
    assert (out / 'model_bncnn.npz').exists()
    printed = capsys.readouterr().out
    assert 'validation/main/accuracy' in printed
    assert 'test accuracy' in printed


def test_linear_learns_synthetic_data(example, tmp_path):
    # Serial loading; the default synthetic tree, a smaller one.
    accuracy = example.main(['--model', 'linear', '--epoch', '3',
                             '--synthetic-train', '20',
                             '--synthetic-test', '10',
                             '--loaderjob', '0', '--out', str(tmp_path)])
    assert accuracy > 0.25      # chance is 0.1
    assert (tmp_path / 'synthetic_data' / 'train' / 'cat').is_dir()


# ------------------------------------------------------------- Shake-Shake
def _shake(models, x1, x2, seed):
    numpy.random.seed(seed)
    a = dynet.Variable(x1.copy())
    b = dynet.Variable(x2.copy())
    node = models.ShakeShake()
    y, = node.apply((a, b))
    gy = numpy.random.RandomState(99).randn(*y.shape).astype(numpy.float32)
    y.grad = gy
    y.backward()
    return node, y, a.grad, b.grad, gy


def test_shake_shake_forward_mixes_per_sample(models):
    rng = numpy.random.RandomState(0)
    x1 = rng.randn(5, 3, 4, 4).astype(numpy.float32)
    x2 = rng.randn(5, 3, 4, 4).astype(numpy.float32)
    node, y, _, _, _ = _shake(models, x1, x2, seed=1)
    alpha = node.alpha
    assert alpha.shape == (5, 1, 1, 1)
    assert ((0 < alpha) & (alpha < 1)).all()
    assert len(numpy.unique(alpha)) == 5        # one per sample
    numpy.testing.assert_allclose(
        y.array, alpha * x1 + (1 - alpha) * x2, rtol=1e-6, atol=1e-6)
    # the coefficient is drawn from numpy.random: seeding reproduces it
    numpy.random.seed(1)
    expected = numpy.random.uniform(0, 1, (5, 1, 1, 1)).astype(numpy.float32)
    numpy.testing.assert_array_equal(alpha, expected)


def test_shake_shake_backward_uses_independent_beta(models):
    rng = numpy.random.RandomState(0)
    x1 = rng.randn(5, 3, 4, 4).astype(numpy.float32)
    x2 = rng.randn(5, 3, 4, 4).astype(numpy.float32)
    node, _, g1, g2, gy = _shake(models, x1, x2, seed=1)
    alpha, beta = node.alpha, node.beta
    assert beta.shape == (5, 1, 1, 1)
    # beta is the next draw after alpha from the seeded generator
    numpy.random.seed(1)
    numpy.random.uniform(0, 1, (5, 1, 1, 1))
    expected_beta = numpy.random.uniform(0, 1, (5, 1, 1, 1)).astype(
        numpy.float32)
    numpy.testing.assert_array_equal(beta, expected_beta)
    assert not numpy.allclose(alpha, beta)
    numpy.testing.assert_allclose(g1, beta * gy, rtol=1e-6)
    numpy.testing.assert_allclose(g2, (1 - beta) * gy, rtol=1e-6)
    # ... which is not the gradient of the forward mix
    assert not numpy.allclose(g1, alpha * gy, atol=1e-3)
    assert not numpy.allclose(g2, (1 - alpha) * gy, atol=1e-3)


def test_shake_shake_test_mode_uses_half(models):
    rng = numpy.random.RandomState(0)
    x1 = rng.randn(3, 2, 2, 2).astype(numpy.float32)
    x2 = rng.randn(3, 2, 2, 2).astype(numpy.float32)
    with dynet.using_config('train', False):
        node, y, g1, g2, gy = _shake(models, x1, x2, seed=1)
    numpy.testing.assert_allclose(y.array, 0.5 * (x1 + x2), rtol=1e-6)
    numpy.testing.assert_allclose(g1, 0.5 * gy, rtol=1e-6)
    numpy.testing.assert_allclose(g2, 0.5 * gy, rtol=1e-6)
    # deterministic at test time
    with dynet.using_config('train', False):
        _, y2, _, _, _ = _shake(models, x1, x2, seed=2)
    numpy.testing.assert_array_equal(y.array, y2.array)


def test_shake_shake_network_is_stochastic_only_in_training(models):
    numpy.random.seed(0)
    net = models.build('shakeshake', small=True)
    x, _ = _batch()
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        a = net(x).array
        b = net(x).array
    numpy.testing.assert_array_equal(a, b)


# ------------------------------------------------- Evaluator and BatchNorm
def test_evaluator_runs_batch_norm_in_test_mode(example, models):
    numpy.random.seed(0)
    model = L.Classifier(models.build('bncnn', small=True))
    x, t = _batch(8)
    initial = example.bn_statistics(model)
    assert initial
    dataset = dynet.datasets.TupleDataset(x * 3 + 2, t)
    model.predictor(x * 3 + 2)     # in training mode the statistics move
    moved = example.bn_statistics(model)
    assert all(not numpy.array_equal(moved[k][0], initial[k][0])
               for k in moved)

    before = example.bn_statistics(model)
    iterator = dynet.iterators.SerialIterator(dataset, 4, repeat=False,
                                              shuffle=False)
    # called as the trainer calls it (evaluate() alone keeps the mode)
    result = extensions.Evaluator(iterator, model)()
    after = example.bn_statistics(model)
    assert set(before) == set(after)
    for key in before:
        numpy.testing.assert_array_equal(before[key][0], after[key][0])
        numpy.testing.assert_array_equal(before[key][1], after[key][1])
    # and the evaluation used the running averages: the same loss as a
    # test-mode forward pass by hand
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        expected = float(F.softmax_cross_entropy(
            model.predictor(x * 3 + 2), t).array)
    assert abs(float(result['main/loss']) - expected) < 1e-5
