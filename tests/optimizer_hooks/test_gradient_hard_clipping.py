"""Tests of dynet.optimizer_hooks.GradientHardClipping."""
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
    hook = optimizer_hooks.GradientHardClipping(-1, 2)
    assert (hook.lower_bound, hook.upper_bound) == (-1, 2)
    assert (hook.name, hook.timing, hook.call_for_each_param) == (
        'GradientHardClipping', 'pre', True)


@pytest.mark.parametrize('dtype', DTYPES)
def test_clips_each_element(dtype):
    model = Model(dtype)
    opt = optimizers.SGD(lr=0.1).setup(model)
    before = [p.array.copy() for p in model.pairs()]
    grads = set_grads(model, scale=2.0)
    opt.add_hook(optimizer_hooks.GradientHardClipping(-0.5, 0.75))
    opt.update()
    for p, x, g in zip(model.pairs(), before, grads):
        clipped = numpy.clip(g, -0.5, 0.75)
        numpy.testing.assert_array_equal(p.grad, clipped)
        numpy.testing.assert_array_equal(p.array, x - 0.1 * clipped)
    assert (grads[0] > 0.75).any() and (grads[0] < -0.5).any()


def test_clips_in_place():
    p = dynet.Parameter(numpy.zeros(3, 'f'))
    p.grad = numpy.array([-3, 0.5, 3], 'f')
    grad = p.grad
    optimizer_hooks.GradientHardClipping(-1, 1)(None, p)
    assert p.grad is grad
    numpy.testing.assert_array_equal(grad, [-1, 0.5, 1])


def test_with_loss_scale_bounds_apply_to_true_gradient():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    grads = set_grads(model, scale=2.0)
    for p in model.pairs():
        p.grad *= 16
        p._loss_scale = 16.0
    opt.add_hook(optimizer_hooks.GradientHardClipping(-0.5, 0.75))
    opt.update()
    for p, g in zip(model.pairs(), grads):
        numpy.testing.assert_allclose(p.grad, numpy.clip(g, -0.5, 0.75),
                                      rtol=1e-6)
