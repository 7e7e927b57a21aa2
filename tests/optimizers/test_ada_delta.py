"""Tests of dynet.optimizers.AdaDelta against a NumPy reference."""
import numpy
import pytest

import dynet
from dynet import optimizers

DTYPES = [numpy.float32, numpy.float64]


# ---- shared harness (copied in each optimizer test module) ----------------
class Model(dynet.Link):
    def __init__(self, dtype):
        super().__init__()
        rs = numpy.random.RandomState(0)
        with self.init_scope():
            self.w = dynet.Parameter(rs.uniform(-1, 1, (3, 4)).astype(dtype))
            self.b = dynet.Parameter(rs.uniform(-1, 1, (4,)).astype(dtype))


def step_grads(t, dtype):
    """Gradients of step ``t``; ``b`` has none at step 3 (the optimizer
    gives it zeros)."""
    rs = numpy.random.RandomState(100 + t)
    scale = 10.0 if t == 2 else 1.0
    w = (rs.normal(size=(3, 4)) * scale).astype(dtype)
    b = None if t == 3 else (rs.normal(size=(4,)) * scale).astype(dtype)
    return {'w': w, 'b': b}


def check_steps(opt, reference, dtype, steps=5):
    """Runs ``steps`` updates of ``opt`` and of ``reference(param, grad,
    state, t)`` (NumPy, updating ``param`` and ``state`` in place) and
    requires the same parameters and states after every step."""
    model = Model(dtype)
    opt.setup(model)
    params = {n: getattr(model, n) for n in ('w', 'b')}
    expected = {n: p.array.copy() for n, p in params.items()}
    states = {n: {} for n in params}
    for t in range(1, steps + 1):
        grads = step_grads(t, dtype)
        for n, p in params.items():
            p.grad = None if grads[n] is None else grads[n].copy()
        opt.update()
        for n, p in params.items():
            g = grads[n]
            if g is None:
                g = numpy.zeros_like(expected[n])
            reference(expected[n], g, states[n], t)
            assert p.array.dtype == numpy.dtype(dtype)
            numpy.testing.assert_array_equal(
                p.array, expected[n], err_msg='{} at step {}'.format(n, t))
            for key, value in states[n].items():
                numpy.testing.assert_array_equal(
                    p.update_rule.state[key], value,
                    err_msg='state {} of {} at step {}'.format(key, n, t))
    assert set(params['w'].update_rule.state) == set(states['w'])
    return model
# ---------------------------------------------------------------------------


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('rho, eps', [(0.95, 1e-6), (0.5, 1e-2)])
def test_steps_match_reference(dtype, rho, eps):
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
