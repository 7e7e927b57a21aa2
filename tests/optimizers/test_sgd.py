"""Tests of dynet.optimizers.SGD against a NumPy reference."""
import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
def test_steps_match_reference(dtype, harness):
    check_steps = harness.check_steps
    lr = 0.05

    def reference(p, g, state, t):
        p -= lr * g

    check_steps(optimizers.SGD(lr=lr), reference, dtype)


def test_defaults_and_rule():
    opt = optimizers.SGD()
    assert opt.hyperparam.get_dict() == {'lr': 0.01}
    assert optimizers.SGDRule().hyperparam.lr == 0.01
    assert optimizers.SGDRule(lr=0.3).hyperparam.lr == 0.3
    assert optimizers.SGDRule.is_elementwise


def test_lr_attribute():
    opt = optimizers.SGD(lr=0.1)
    opt.lr = 0.2
    assert opt.hyperparam.lr == 0.2


def test_float16():
    p = dynet.Parameter(numpy.array([1, 2], numpy.float16))
    p.grad = numpy.array([0.5, 0.25], numpy.float16)
    optimizers.SGDRule(lr=0.5).update(p)
    numpy.testing.assert_array_equal(
        p.array, numpy.array([0.75, 1.875], numpy.float16))
