"""Tests of L.StatelessMGU and L.StatefulMGU."""
import numpy
import pytest

import dynet
import dynet.links as L
from dynet import gradient_check
from dynet import testing


def _x(*shape, dtype=numpy.float32):
    return numpy.random.uniform(-1, 1, shape).astype(dtype)


def _sigmoid(v):
    return 1 / (1 + numpy.exp(-v))


def _reference(link, h, x):
    """f = s(W_f [h, x]), h~ = tanh(W_h [f h, x]), h' = f h~ + (1 - f) h;
    the first columns of W_f / W_h act on h."""
    h = h.astype(numpy.float64)
    x = x.astype(numpy.float64)
    n = h.shape[1]
    wf, wh = link.W_f.W.array, link.W_h.W.array
    f = _sigmoid(h @ wf[:, :n].T + x @ wf[:, n:].T + link.W_f.b.array)
    h_bar = numpy.tanh((f * h) @ wh[:, :n].T + x @ wh[:, n:].T +
                       link.W_h.b.array)
    return f * h_bar + (1 - f) * h


@pytest.mark.parametrize('cls', [L.StatelessMGU, L.StatefulMGU])
def test_structure(cls):
    link = cls(3, 2)
    assert {name: tuple(p.shape) for name, p in link.namedparams()} == {
        '/W_f/W': (2, 5), '/W_f/b': (2,), '/W_h/W': (2, 5), '/W_h/b': (2,)}
    numpy.testing.assert_array_equal(link.W_f.b.array, 0)


@testing.fix_random()
def test_stateless_forward_and_gradients():
    link = L.StatelessMGU(3, 2)
    h, x = _x(4, 2), _x(4, 3)
    numpy.testing.assert_allclose(link(h, x).array, _reference(link, h, x),
                                  rtol=1e-5, atol=1e-6)
    gradient_check.check_backward(link, (h, x), _x(4, 2),
                                  params=list(link.params()),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-3)


@testing.fix_random()
def test_stateful_sequence():
    link = L.StatefulMGU(3, 2)
    assert link.h is None
    h = numpy.zeros((2, 2))
    for _ in range(3):
        x = _x(2, 3)
        y = link(x)
        h = _reference(link, h, x)
        numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
        assert link.h is y


@testing.fix_random()
def test_stateful_state_follows_the_input_dtype():
    link = L.StatefulMGU(3, 2)
    for param in link.params():
        param.array = param.array.astype(numpy.float64)
    y = link(_x(2, 3, dtype=numpy.float64))
    assert y.dtype == numpy.float64


@testing.fix_random()
def test_stateful_gradients_over_two_steps():
    link = L.StatefulMGU(3, 2)
    x1, x2, gy = _x(2, 3), _x(2, 3), _x(2, 2)

    def two_steps(x1, x2):
        link.reset_state()
        link(x1)
        return link(x2)
    gradient_check.check_backward(two_steps, (x1, x2), gy,
                                  params=list(link.params()),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-3)


@testing.fix_random()
def test_set_state_reset_state_and_errors():
    link = L.StatefulMGU(3, 2)
    state = dynet.Variable(_x(2, 2))
    link.set_state(state)
    assert link.h is state
    x = _x(2, 3)
    numpy.testing.assert_allclose(link(x).array,
                                  _reference(link, state.array, x),
                                  rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match='StatefulMGU.set_state: h must be '
                       'a Variable, got ndarray'):
        link.set_state(state.array)
    with pytest.raises(TypeError, match='x has 1 rows'):
        link(_x(1, 3))
    link.reset_state()
    assert link.h is None
    link.to_device('@numpy')
    assert link(_x(1, 3)).shape == (1, 2)


@testing.fix_random()
def test_serialization_round_trip():
    link = L.StatefulMGU(3, 2)
    other = L.StatefulMGU(3, 2)
    testing.save_and_load_npz(link, other)
    x = _x(2, 3)
    numpy.testing.assert_array_equal(other(x).array, link(x).array)
