"""Tests of dynet.optimizers.AdaGrad against a NumPy reference."""
import numpy
import pytest

from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
def test_steps_match_reference(dtype, harness):
    check_steps = harness.check_steps
    lr, eps = 0.1, 1e-6

    def reference(p, g, state, t):
        h = state.setdefault('h', numpy.zeros_like(p))
        h += g * g
        p -= lr * g / (numpy.sqrt(h) + eps)

    check_steps(optimizers.AdaGrad(lr=lr, eps=eps), reference, dtype)


def test_defaults_and_rule():
    opt = optimizers.AdaGrad()
    assert opt.hyperparam.get_dict() == {'lr': 0.001, 'eps': 1e-8}
    rule = optimizers.AdaGradRule(lr=0.2, eps=0.5)
    assert (rule.hyperparam.lr, rule.hyperparam.eps) == (0.2, 0.5)
