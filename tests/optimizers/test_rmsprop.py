"""Tests of dynet.optimizers.RMSprop against a NumPy reference."""
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
@pytest.mark.parametrize('eps_inside_sqrt', [False, True])
def test_steps_match_reference(dtype, eps_inside_sqrt):
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
