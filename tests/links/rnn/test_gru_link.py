"""Tests of L.StatelessGRU, L.StatefulGRU and L.GRU."""
import io

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import initializers
from dynet import serializers
from dynet import testing

_NAMES = ['U', 'U_r', 'U_z', 'W', 'W_r', 'W_z']


def _sigmoid(v):
    return 1.0 / (1.0 + numpy.exp(-v))


def _lin(link, v):
    return v @ link.W.array.astype(numpy.float64).T + link.b.array


def _reference(link, h, x):
    """r = s(W_r x + U_r h), z = s(W_z x + U_z h),
    h_bar = tanh(W x + U (r h)), h' = z h_bar + (1 - z) h."""
    x = x.astype(numpy.float64)
    if h is None:
        z = _sigmoid(_lin(link.W_z, x))
        return z * numpy.tanh(_lin(link.W, x))
    h = h.astype(numpy.float64)
    r = _sigmoid(_lin(link.W_r, x) + _lin(link.U_r, h))
    z = _sigmoid(_lin(link.W_z, x) + _lin(link.U_z, h))
    h_bar = numpy.tanh(_lin(link.W, x) + _lin(link.U, r * h))
    return z * h_bar + (1 - z) * h


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


@testing.fix_random()
def test_stateless_gru_forward_and_gradients():
    link = L.StatelessGRU(3, 2)
    assert sorted(name for name, _ in link.namedparams()) == sorted(
        '/{}/{}'.format(n, p) for n in _NAMES for p in ('W', 'b'))
    h, x = _x(4, 2), _x(4, 3)
    y = link(h, x)
    numpy.testing.assert_allclose(y.array, _reference(link, h, x),
                                  rtol=1e-5, atol=1e-6)
    link.cleargrads()
    F.sum(y * y).backward()
    for name, param in link.namedparams():
        assert numpy.abs(param.grad).sum() > 0, name


@testing.fix_random()
def test_stateless_gru_deferred_and_initializers():
    link = L.StatelessGRU(None, 2, init=initializers.Constant(0.5),
                          inner_init=0.25, bias_init=1)
    assert link.W.W.array is None
    link(_x(1, 2), _x(1, 5))
    assert link.W.W.shape == (2, 5) and link.U.W.shape == (2, 2)
    numpy.testing.assert_array_equal(link.W_r.W.array, 0.5)
    numpy.testing.assert_array_equal(link.U_z.W.array, 0.25)
    numpy.testing.assert_array_equal(link.U.b.array, 1)


@testing.fix_random()
def test_stateful_gru_sequence():
    link = L.StatefulGRU(3, 2)
    numpy.testing.assert_array_equal(link.W.b.array, 0)
    assert link.h is None
    h = None
    for _ in range(3):
        x = _x(2, 3)
        y = link(x)
        h = _reference(link, h, x)
        numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
        assert link.h is y
    link.reset_state()
    assert link.h is None
    state = dynet.Variable(_x(2, 2))
    link.set_state(state)
    x = _x(2, 3)
    numpy.testing.assert_allclose(link(x).array,
                                  _reference(link, state.array, x),
                                  rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match='set_state'):
        link.set_state(state.array)


@testing.fix_random()
def test_stateful_gradients_reach_every_parameter():
    link = L.StatefulGRU(3, 2)
    loss = F.sum(link(_x(2, 3))) + F.sum(link(_x(2, 3)))
    link.cleargrads()
    loss.backward()
    for name, param in link.namedparams():
        assert param.grad is not None and numpy.abs(param.grad).sum() > 0, \
            name


@testing.fix_random()
def test_gru_is_stateful_with_one_argument():
    link = L.GRU(3, 2)
    assert isinstance(link, L.StatefulGRU)
    x = _x(1, 3)
    numpy.testing.assert_allclose(link(x).array, _reference(link, None, x),
                                  rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match='StatelessGRU'):
        link(_x(1, 2), x)
    with pytest.raises(ValueError, match='exactly one argument'):
        link()


@testing.fix_random()
def test_serialization_round_trip():
    link = L.StatefulGRU(3, 2)
    link(_x(1, 3))
    buffer = io.BytesIO()
    serializers.save_npz(buffer, link)
    buffer.seek(0)
    with numpy.load(buffer) as npz:
        assert sorted(npz.keys()) == sorted(
            '{}/{}'.format(n, p) for n in _NAMES for p in ('W', 'b'))
    buffer.seek(0)
    other = L.StatefulGRU(3, 2)
    serializers.load_npz(buffer, other)
    for (n1, p1), (n2, p2) in zip(sorted(link.namedparams()),
                                  sorted(other.namedparams())):
        assert n1 == n2
        numpy.testing.assert_array_equal(p1.array, p2.array)
