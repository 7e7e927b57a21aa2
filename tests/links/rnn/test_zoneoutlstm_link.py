"""Tests of L.StatefulZoneoutLSTM."""
import numpy
import pytest

import dynet
import dynet.links as L
from dynet import gradient_check
from dynet import testing


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def _sigmoid(v):
    return 1 / (1 + numpy.exp(-v))


def _lstm_step(link, c, h, x):
    """Plain LSTM step; upward/lateral columns are gate-interleaved."""
    z = (x.astype(numpy.float64) @ link.upward.W.array.T +
         link.upward.b.array + h @ link.lateral.W.array.T)
    a, i, f, o = (z[:, j::4] for j in range(4))
    c_new = numpy.tanh(a) * _sigmoid(i) + _sigmoid(f) * c
    return c_new, _sigmoid(o) * numpy.tanh(c_new)


def test_structure_and_arguments():
    link = L.StatefulZoneoutLSTM(3, 2, c_ratio=0.25, h_ratio=0.75)
    assert {name: tuple(p.shape) for name, p in link.namedparams()} == {
        '/upward/W': (8, 3), '/upward/b': (8,), '/lateral/W': (8, 2)}
    assert (link.c_ratio, link.h_ratio, link.state_size) == (0.25, 0.75, 2)
    default = L.StatefulZoneoutLSTM(3, 2)
    assert (default.c_ratio, default.h_ratio) == (0.5, 0.5)
    assert default.c is None and default.h is None
    with pytest.raises(ValueError, match='StatefulZoneoutLSTM: train '
                       'argument is not supported anymore'):
        L.StatefulZoneoutLSTM(3, 2, train=True)
    with pytest.raises(TypeError, match="unexpected keyword.*'foo'"):
        L.StatefulZoneoutLSTM(3, 2, foo=1)


@testing.fix_random()
def test_training_sequence_against_reference():
    c_ratio, h_ratio = 0.3, 0.6
    link = L.StatefulZoneoutLSTM(3, 4, c_ratio, h_ratio)
    c = h = numpy.zeros((5, 4))
    kept = 0
    for step in range(3):
        x = _x(5, 3)
        numpy.random.seed(step)
        y = link(x)
        # The masks: rand >= ratio takes the new value, c's drawn first.
        numpy.random.seed(step)
        new_c = numpy.random.rand(5, 4) >= c_ratio
        new_h = numpy.random.rand(5, 4) >= h_ratio
        c_new, h_new = _lstm_step(link, c, h, x)
        c = numpy.where(new_c, c_new, c)
        h = numpy.where(new_h, h_new, h)
        kept += (~new_c).sum() + (~new_h).sum()
        numpy.testing.assert_allclose(link.c.array, c, rtol=1e-5,
                                      atol=1e-6)
        numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
        assert link.h is y
    assert 0 < kept < 2 * 3 * 5 * 4  # both choices happened


@testing.fix_random()
def test_test_mode_is_a_plain_lstm():
    link = L.StatefulZoneoutLSTM(3, 2, c_ratio=0.9, h_ratio=0.9)
    c = h = numpy.zeros((2, 2))
    with dynet.using_config('train', False):
        for _ in range(2):
            x = _x(2, 3)
            y = link(x)
            c, h = _lstm_step(link, c, h, x)
            numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
            numpy.testing.assert_allclose(link.c.array, c, rtol=1e-5,
                                          atol=1e-6)


@testing.fix_random()
def test_gradients_with_fixed_masks():
    link = L.StatefulZoneoutLSTM(3, 2, c_ratio=0.4, h_ratio=0.4)
    x1, x2, gy = _x(3, 3), _x(3, 3), _x(3, 2)

    def two_steps(x1, x2):
        numpy.random.seed(7)  # the same masks in every evaluation
        link.reset_state()
        link(x1)
        return link(x2)
    gradient_check.check_backward(two_steps, (x1, x2), gy,
                                  params=list(link.params()),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-3)


@testing.fix_random()
def test_set_state_reset_state_and_errors():
    link = L.StatefulZoneoutLSTM(3, 2)
    c, h = dynet.Variable(_x(2, 2)), dynet.Variable(_x(2, 2))
    link.set_state(c, h)
    assert link.c is c and link.h is h
    x = _x(2, 3)
    with dynet.using_config('train', False):
        y = link(x)
    numpy.testing.assert_allclose(
        y.array, _lstm_step(link, c.array, h.array, x)[1], rtol=1e-5,
        atol=1e-6)
    with pytest.raises(TypeError, match='StatefulZoneoutLSTM.set_state: h '
                       'must be a Variable'):
        link.set_state(c, None)
    with pytest.raises(TypeError, match='x has 4 rows but the stored state '
                       'has 2'):
        link(_x(4, 3))
    link.reset_state()
    assert link.c is None and link.h is None
    assert link(_x(4, 3)).shape == (4, 2)


@testing.fix_random()
def test_to_device_and_serialization():
    link = L.StatefulZoneoutLSTM(3, 2)
    link(_x(2, 3))
    link.to_device('@numpy')
    assert isinstance(link.c.array, numpy.ndarray)
    other = L.StatefulZoneoutLSTM(3, 2)
    testing.save_and_load_npz(link, other)
    for name in ('upward', 'lateral'):
        numpy.testing.assert_array_equal(getattr(other, name).W.array,
                                         getattr(link, name).W.array)
    assert other.c is None  # the state is not serialized
