"""Tests of dynet.optimizers.SMORMS3 against a NumPy reference."""
import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
def test_steps_match_reference(dtype, harness):
    check_steps = harness.check_steps
    lr, eps = 0.01, 1e-16

    def reference(p, g, state, t):
        mem = state.setdefault('mem', numpy.ones_like(p))
        avg = state.setdefault('g', numpy.zeros_like(p))
        avg2 = state.setdefault('g2', numpy.zeros_like(p))
        r = 1 / (mem + 1)
        avg[...] = (1 - r) * avg + r * g
        avg2[...] = (1 - r) * avg2 + r * g * g
        x = avg * avg / (avg2 + eps)
        p -= g * numpy.minimum(x, lr) / (numpy.sqrt(avg2) + eps)
        mem[...] = 1 + mem * (1 - x)

    check_steps(optimizers.SMORMS3(lr=lr, eps=eps), reference, dtype)


def test_defaults_and_rule():
    opt = optimizers.SMORMS3()
    assert opt.hyperparam.get_dict() == {'lr': 0.001, 'eps': 1e-16}
    rule = optimizers.SMORMS3Rule(lr=0.2, eps=0.5)
    assert (rule.hyperparam.lr, rule.hyperparam.eps) == (0.2, 0.5)


def test_state_arrays_are_updated_in_place():
    rule = optimizers.SMORMS3Rule(lr=0.1)
    p = dynet.Parameter(numpy.ones(3))
    p.grad = numpy.ones(3)
    rule.update(p)
    arrays = {k: id(v) for k, v in rule.state.items()}
    rule.update(p)
    assert {k: id(v) for k, v in rule.state.items()} == arrays
