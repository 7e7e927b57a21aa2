"""Tests of dynet.optimizers.MomentumSGD against a NumPy reference."""
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
@pytest.mark.parametrize('lr, momentum', [(0.01, 0.9), (0.1, 0.5)])
def test_steps_match_reference(dtype, lr, momentum):
    def reference(p, g, state, t):
        v = state.setdefault('v', numpy.zeros_like(p))
        v *= momentum
        v -= lr * g
        p += v

    check_steps(optimizers.MomentumSGD(lr=lr, momentum=momentum), reference,
                dtype)


def test_defaults_and_rule():
    opt = optimizers.MomentumSGD()
    assert opt.hyperparam.get_dict() == {'lr': 0.01, 'momentum': 0.9}
    rule = optimizers.MomentumSGDRule(lr=0.2, momentum=0.5)
    assert (rule.hyperparam.lr, rule.hyperparam.momentum) == (0.2, 0.5)
    assert optimizers.MomentumSGDRule().hyperparam.momentum == 0.9


def test_state_survives_lr_change():
    opt = optimizers.MomentumSGD(lr=0.1)
    model = Model(numpy.float64)
    opt.setup(model)
    model.w.grad = numpy.ones((3, 4))
    model.b.grad = numpy.ones(4)
    opt.update()
    opt.lr = 0.0
    before = model.w.array.copy()
    model.w.grad = numpy.zeros((3, 4))
    model.b.grad = numpy.zeros(4)
    opt.update()
    numpy.testing.assert_allclose(model.w.array, before - 0.9 * 0.1)
