"""Tests of dynet.optimizers.CorrectedMomentumSGD against a NumPy reference."""
import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
def test_steps_match_reference(dtype, harness):
    check_steps = harness.check_steps
    lr, momentum = 0.1, 0.8

    def reference(p, g, state, t):
        v = state.setdefault('v', numpy.zeros_like(p))
        v *= momentum
        v -= g
        p += lr * v

    check_steps(optimizers.CorrectedMomentumSGD(lr=lr, momentum=momentum),
                reference, dtype)


def test_defaults_and_rule():
    opt = optimizers.CorrectedMomentumSGD()
    assert opt.hyperparam.get_dict() == {'lr': 0.01, 'momentum': 0.9}
    rule = optimizers.CorrectedMomentumSGDRule(lr=0.2, momentum=0.5)
    assert (rule.hyperparam.lr, rule.hyperparam.momentum) == (0.2, 0.5)


def test_lr_scales_the_whole_velocity():
    # The velocity holds raw gradients: lr applies when stepping.
    rule = optimizers.CorrectedMomentumSGDRule(lr=1.0, momentum=0.5)
    p = dynet.Parameter(numpy.zeros(2))
    p.grad = numpy.ones(2)
    rule.update(p)
    numpy.testing.assert_array_equal(rule.state['v'], -numpy.ones(2))
    rule.hyperparam.lr = 0.1
    rule.update(p)
    numpy.testing.assert_allclose(p.array, -1.0 - 0.1 * 1.5)
