"""Tests of dynet.optimizer_hooks.WeightDecay."""
import numpy
import pytest

import dynet
from dynet import optimizer_hooks
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


class Model(dynet.Link):
    def __init__(self, dtype=numpy.float32):
        super().__init__()
        rs = numpy.random.RandomState(0)
        with self.init_scope():
            self.w = dynet.Parameter(rs.uniform(-1, 1, (3, 4)).astype(dtype))
            self.b = dynet.Parameter(rs.uniform(-1, 1, (4,)).astype(dtype))

    def pairs(self):
        return [self.w, self.b]


def set_grads(model, scale=1.0, seed=1):
    rs = numpy.random.RandomState(seed)
    grads = []
    for p in model.pairs():
        g = (rs.normal(size=p.shape) * scale).astype(p.dtype)
        p.grad = g.copy()
        grads.append(g)
    return grads


def test_attributes():
    hook = optimizer_hooks.WeightDecay(0.1)
    assert hook.rate == 0.1
    assert hook.name == 'WeightDecay'
    assert hook.timing == 'pre'
    assert hook.call_for_each_param is True


@pytest.mark.parametrize('dtype', DTYPES)
def test_adds_rate_times_param(dtype):
    model = Model(dtype)
    opt = optimizers.SGD(lr=0.1).setup(model)
    before = [p.array.copy() for p in model.pairs()]
    grads = set_grads(model)
    opt.add_hook(optimizer_hooks.WeightDecay(0.25))
    opt.update()
    for p, x, g in zip(model.pairs(), before, grads):
        expected_grad = g + 0.25 * x
        numpy.testing.assert_array_equal(p.grad, expected_grad)
        numpy.testing.assert_array_equal(p.array, x - 0.1 * expected_grad)


def test_as_update_rule_hook():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    model.w.update_rule.add_hook(optimizer_hooks.WeightDecay(0.5))
    before = [p.array.copy() for p in model.pairs()]
    grads = set_grads(model)
    opt.update()
    numpy.testing.assert_array_equal(model.w.grad, grads[0] + 0.5 * before[0])
    numpy.testing.assert_array_equal(model.b.grad, grads[1])


def test_with_loss_scale():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    before = [p.array.copy() for p in model.pairs()]
    grads = set_grads(model)
    for p in model.pairs():
        p.grad *= 8
        p._loss_scale = 8.0
    opt.add_hook(optimizer_hooks.WeightDecay(0.25))
    opt.update()
    for p, x, g in zip(model.pairs(), before, grads):
        numpy.testing.assert_allclose(p.grad, g + 0.25 * x, rtol=1e-6)


def test_skips_missing_grad_and_uninitialized():
    hook = optimizer_hooks.WeightDecay(0.1)
    p = dynet.Parameter(numpy.ones(2, 'f'))
    hook(None, p)
    assert p.grad is None
    hook(None, dynet.Parameter())
