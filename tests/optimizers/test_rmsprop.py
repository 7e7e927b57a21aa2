"""Tests of dynet.optimizers.RMSprop against a NumPy reference."""
import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('eps_inside_sqrt', [False, True])
def test_steps_match_reference(dtype, eps_inside_sqrt, harness):
    check_steps = harness.check_steps
    lr, alpha, eps = 0.01, 0.9, 1e-4

    def reference(p, g, state, t):
        ms = state.setdefault('ms', numpy.zeros_like(p))
        ms *= alpha
        ms += (1 - alpha) * g * g
        if eps_inside_sqrt:
            denom = numpy.sqrt(ms + eps)
        else:
            denom = numpy.sqrt(ms) + eps
        p -= lr * g / denom

    check_steps(optimizers.RMSprop(lr=lr, alpha=alpha, eps=eps,
                                   eps_inside_sqrt=eps_inside_sqrt),
                reference, dtype)


def test_defaults_and_rule():
    opt = optimizers.RMSprop()
    assert opt.hyperparam.get_dict() == {
        'lr': 0.01, 'alpha': 0.99, 'eps': 1e-8, 'eps_inside_sqrt': False}
    rule = optimizers.RMSpropRule(lr=0.2, alpha=0.5, eps=0.1,
                                  eps_inside_sqrt=True)
    hp = rule.hyperparam
    assert (hp.lr, hp.alpha, hp.eps, hp.eps_inside_sqrt) == (
        0.2, 0.5, 0.1, True)


def test_eps_too_small_for_float16():
    rule = optimizers.RMSpropRule()
    p = dynet.Parameter(numpy.ones(2, numpy.float16))
    p.grad = numpy.ones(2, numpy.float16)
    with pytest.raises(ValueError, match='too small'):
        rule.update(p)
    rule = optimizers.RMSpropRule(eps=1e-3)
    rule.update(p)
    assert p.array.dtype == numpy.float16
