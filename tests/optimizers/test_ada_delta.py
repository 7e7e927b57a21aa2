"""Tests of dynet.optimizers.AdaDelta against a NumPy reference."""
import numpy
import pytest

from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('rho, eps', [(0.95, 1e-6), (0.5, 1e-2)])
def test_steps_match_reference(dtype, rho, eps, harness):
    check_steps = harness.check_steps

    def reference(p, g, state, t):
        msg = state.setdefault('msg', numpy.zeros_like(p))
        msdx = state.setdefault('msdx', numpy.zeros_like(p))
        msg *= rho
        msg += (1 - rho) * g * g
        dx = numpy.sqrt((msdx + eps) / (msg + eps)) * g
        msdx *= rho
        msdx += (1 - rho) * dx * dx
        p -= dx

    check_steps(optimizers.AdaDelta(rho=rho, eps=eps), reference, dtype)


def test_defaults_and_rule():
    opt = optimizers.AdaDelta()
    assert opt.hyperparam.get_dict() == {'rho': 0.95, 'eps': 1e-6}
    rule = optimizers.AdaDeltaRule(rho=0.2, eps=0.5)
    assert (rule.hyperparam.rho, rule.hyperparam.eps) == (0.2, 0.5)
