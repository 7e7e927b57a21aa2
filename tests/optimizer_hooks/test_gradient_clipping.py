"""Tests of dynet.optimizer_hooks.GradientClipping (global L2 norm)."""
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
    hook = optimizer_hooks.GradientClipping(2.0)
    assert hook.threshold == 2.0
    assert (hook.name, hook.timing) == ('GradientClipping', 'pre')
    assert not getattr(hook, 'call_for_each_param', False)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('threshold', [0.5, 1e3])
def test_scales_by_global_norm(dtype, threshold):
    model = Model(dtype)
    opt = optimizers.SGD(lr=0.1).setup(model)
    before = [p.array.copy() for p in model.pairs()]
    grads = set_grads(model)
    opt.add_hook(optimizer_hooks.GradientClipping(threshold))
    opt.update()
    norm = numpy.sqrt(sum(float(numpy.sum(g.astype(numpy.float64) ** 2))
                          for g in grads))
    rate = min(threshold / norm, 1.0)
    for p, x, g in zip(model.pairs(), before, grads):
        numpy.testing.assert_allclose(p.grad, g * rate, rtol=1e-6)
        numpy.testing.assert_allclose(p.array, x - 0.1 * g * rate,
                                      rtol=1e-6)
    if threshold > norm:
        for p, g in zip(model.pairs(), grads):
            numpy.testing.assert_array_equal(p.grad, g)
    else:
        total = numpy.sqrt(sum(float(numpy.sum(p.grad.astype('d') ** 2))
                               for p in model.pairs()))
        assert total == pytest.approx(threshold, rel=1e-6)


def test_zero_gradients_untouched():
    model = Model()
    opt = optimizers.SGD().setup(model)
    for p in model.pairs():
        p.grad = numpy.zeros_like(p.array)
    opt.add_hook(optimizer_hooks.GradientClipping(1.0))
    opt.update()
    assert all((p.grad == 0).all() for p in model.pairs())


def test_with_loss_scale():
    model = Model()
    opt = optimizers.SGD(lr=0.1).setup(model)
    grads = set_grads(model)
    for p in model.pairs():
        p.grad *= 64
        p._loss_scale = 64.0
    opt.add_hook(optimizer_hooks.GradientClipping(0.5))
    opt.update()
    norm = numpy.sqrt(sum(float(numpy.sum(g.astype('d') ** 2))
                          for g in grads))
    for p, g in zip(model.pairs(), grads):
        numpy.testing.assert_allclose(p.grad, g * (0.5 / norm), rtol=1e-5)


def test_uninitialized_parameters_are_ignored():
    class Lazy(dynet.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.w = dynet.Parameter()
                self.b = dynet.Parameter(numpy.zeros(2, 'f'))

    link = Lazy()
    opt = optimizers.SGD().setup(link)
    opt.add_hook(optimizer_hooks.GradientClipping(1.0))
    link.b.grad = numpy.array([3.0, 4.0], 'f')
    opt.update()
    numpy.testing.assert_allclose(link.b.grad, [0.6, 0.8], rtol=1e-6)
