"""Tests of dynet.optimizers.RMSpropGraves against a NumPy reference."""
import numpy
import pytest

from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
def test_steps_match_reference(dtype, harness):
    check_steps = harness.check_steps
    lr, alpha, momentum, eps = 0.01, 0.9, 0.8, 1e-3

    def reference(p, g, state, t):
        n = state.setdefault('n', numpy.zeros_like(p))
        avg = state.setdefault('g', numpy.zeros_like(p))
        delta = state.setdefault('delta', numpy.zeros_like(p))
        n *= alpha
        n += (1 - alpha) * g * g
        avg *= alpha
        avg += (1 - alpha) * g
        delta *= momentum
        delta -= lr * g / numpy.sqrt(n - avg * avg + eps)
        p += delta

    check_steps(optimizers.RMSpropGraves(lr=lr, alpha=alpha,
                                         momentum=momentum, eps=eps),
                reference, dtype)


def test_defaults_and_rule():
    opt = optimizers.RMSpropGraves()
    assert opt.hyperparam.get_dict() == {
        'lr': 1e-4, 'alpha': 0.95, 'momentum': 0.9, 'eps': 1e-4}
    rule = optimizers.RMSpropGravesRule(lr=0.2, alpha=0.5, momentum=0.1,
                                        eps=0.3)
    hp = rule.hyperparam
    assert (hp.lr, hp.alpha, hp.momentum, hp.eps) == (0.2, 0.5, 0.1, 0.3)
