"""Tests of dynet.optimizer_hooks.GradientLARS."""
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


def lars_reference(p, g, threshold, weight_decay, eps):
    p_norm = numpy.sqrt(numpy.sum(p.astype(numpy.float64) ** 2))
    g_norm = numpy.sqrt(numpy.sum(g.astype(numpy.float64) ** 2))
    if p_norm > threshold:
        rate = p_norm / (eps + g_norm + weight_decay * p_norm)
    else:
        rate = 1.0
    return (g + weight_decay * p) * rate


def test_attributes():
    hook = optimizer_hooks.GradientLARS()
    assert (hook.threshold, hook.weight_decay, hook.eps) == (1e-2, 0.0, 1e-9)
    assert (hook.name, hook.timing, hook.call_for_each_param) == (
        'GradientLARS', 'pre', True)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('threshold, weight_decay', [
    (1e-2, 0.0), (0.5, 0.01), (100.0, 0.01)])
def test_matches_reference(dtype, threshold, weight_decay):
    model = Model(dtype)
    opt = optimizers.SGD(lr=0.1).setup(model)
    before = [p.array.copy() for p in model.pairs()]
    grads = set_grads(model)
    opt.add_hook(optimizer_hooks.GradientLARS(threshold, weight_decay))
    opt.update()
    rtol = 1e-6 if dtype == numpy.float32 else 1e-13
    for p, x, g in zip(model.pairs(), before, grads):
        expected = lars_reference(x, g, threshold, weight_decay, 1e-9)
        numpy.testing.assert_allclose(p.grad, expected, rtol=rtol)
        numpy.testing.assert_allclose(p.array, x - 0.1 * expected,
                                      rtol=rtol, atol=1e-7)


def test_below_threshold_only_adds_weight_decay():
    p = dynet.Parameter(numpy.array([1e-3, 0.0], 'f'))
    p.grad = numpy.array([1.0, 2.0], 'f')
    optimizer_hooks.GradientLARS(threshold=1.0, weight_decay=0.5)(None, p)
    numpy.testing.assert_allclose(p.grad, [1.0 + 0.5e-3, 2.0])


def test_with_loss_scale():
    model = Model()
    opt = optimizers.SGD().setup(model)
    before = [p.array.copy() for p in model.pairs()]
    grads = set_grads(model)
    for p in model.pairs():
        p.grad *= 32
        p._loss_scale = 32.0
    opt.add_hook(optimizer_hooks.GradientLARS(0.5, 0.01))
    opt.update()
    for p, x, g in zip(model.pairs(), before, grads):
        numpy.testing.assert_allclose(
            p.grad, lars_reference(x, g, 0.5, 0.01, 1e-9), rtol=1e-5)
