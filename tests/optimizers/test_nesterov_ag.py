"""Tests of dynet.optimizers.NesterovAG against a NumPy reference."""
import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
def test_steps_match_reference(dtype, harness):
    check_steps = harness.check_steps
    lr, momentum = 0.05, 0.9

    def reference(p, g, state, t):
        v = state.setdefault('v', numpy.zeros_like(p))
        v *= momentum
        v -= lr * g
        p += momentum * momentum * v
        p -= (1 + momentum) * lr * g

    check_steps(optimizers.NesterovAG(lr=lr, momentum=momentum), reference,
                dtype)


def test_defaults_and_rule():
    opt = optimizers.NesterovAG()
    assert opt.hyperparam.get_dict() == {'lr': 0.01, 'momentum': 0.9}
    rule = optimizers.NesterovAGRule(lr=0.2, momentum=0.5)
    assert (rule.hyperparam.lr, rule.hyperparam.momentum) == (0.2, 0.5)


def test_first_step_by_hand():
    rule = optimizers.NesterovAGRule(lr=0.1, momentum=0.5)
    p = dynet.Parameter(numpy.zeros(1))
    p.grad = numpy.ones(1)
    rule.update(p)
    # v = -0.1; param = 0.25 * v - 1.5 * 0.1
    numpy.testing.assert_allclose(p.array, [0.25 * -0.1 - 0.15])
