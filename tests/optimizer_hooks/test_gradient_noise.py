"""Tests of dynet.optimizer_hooks.GradientNoise."""
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
    hook = optimizer_hooks.GradientNoise(0.3)
    assert hook.eta == 0.3
    assert hook.noise_func is optimizer_hooks.exponential_decay_noise
    assert (hook.name, hook.timing, hook.call_for_each_param) == (
        'GradientNoise', 'pre', True)


@pytest.mark.parametrize('dtype', DTYPES)
def test_default_noise_matches_reference(dtype):
    eta = 0.3
    model = Model(dtype)
    opt = optimizers.SGD(lr=0.1).setup(model)
    opt.add_hook(optimizer_hooks.GradientNoise(eta))
    for t in range(3):
        grads = set_grads(model, seed=t)
        numpy.random.seed(7 + t)
        opt.update()
        numpy.random.seed(7 + t)
        # Each parameter in turn; the rule's t counts earlier updates.
        std = numpy.sqrt(eta / numpy.power(1 + t, 0.55))
        by_id = {id(q): g for q, g in zip(model.pairs(), grads)}
        for p in model.params():
            g = by_id[id(p)]
            noise = numpy.random.normal(0, std, g.shape).astype(dtype)
            numpy.testing.assert_array_equal(p.grad, g + noise)


def test_custom_noise_func_arguments():
    calls = []

    def noise_func(xp, shape, dtype, hook, rule):
        calls.append((xp, shape, dtype, hook, rule, rule.t))
        return xp.full(shape, 0.5, dtype)

    model = Model()
    opt = optimizers.SGD().setup(model)
    hook = optimizer_hooks.GradientNoise(1.0, noise_func=noise_func)
    opt.add_hook(hook)
    grads = set_grads(model)
    opt.update()
    assert len(calls) == 2
    for xp, shape, dtype, h, rule, t in calls:
        assert xp is numpy and h is hook and t == 0
        assert rule in (model.w.update_rule, model.b.update_rule)
    for p, g in zip(model.pairs(), grads):
        numpy.testing.assert_array_equal(p.grad, g + numpy.float32(0.5))


def test_noise_with_loss_scale_is_scaled():
    def noise_func(xp, shape, dtype, hook, rule):
        return xp.ones(shape, dtype)

    model = Model()
    opt = optimizers.SGD().setup(model)
    grads = set_grads(model)
    for p in model.pairs():
        p.grad *= 2
        p._loss_scale = 2.0
    opt.add_hook(optimizer_hooks.GradientNoise(1.0, noise_func=noise_func))
    opt.update()
    for p, g in zip(model.pairs(), grads):
        numpy.testing.assert_allclose(p.grad, g + 1, rtol=1e-6)


def test_exponential_decay_noise_std():
    class Rule:
        t = 3

    class Hook:
        eta = 0.5

    numpy.random.seed(0)
    x = optimizer_hooks.exponential_decay_noise(
        numpy, (20000,), numpy.float32, Hook, Rule)
    assert x.dtype == numpy.float32
    assert x.std() == pytest.approx(numpy.sqrt(0.5 / 4 ** 0.55), rel=0.03)
