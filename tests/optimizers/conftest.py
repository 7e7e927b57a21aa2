"""The 5-step harness of the optimizer tests: a two-parameter model, the
gradients of each step (with a missing gradient at step 3) and the check
of parameters and state against a NumPy reference after every step.

Test functions get it through the ``harness`` fixture.
"""
import types

import numpy
import pytest

import dynet


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


@pytest.fixture
def harness():
    return types.SimpleNamespace(Model=Model, step_grads=step_grads,
                                 check_steps=check_steps)
