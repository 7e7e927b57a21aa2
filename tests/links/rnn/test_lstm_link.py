"""Tests of L.LSTM and L.StatelessLSTM."""
import io
import math

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import initializers
from dynet import serializers
from dynet import testing


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def _reference_step(link, c, h, x):
    """One LSTM step with plain loops over rows and units; the rows of
    upward/lateral are interleaved by gate (row 4 k + j: gate j of unit k,
    gates a, i, f, o)."""
    wu = link.upward.W.array.astype(numpy.float64)
    bu = link.upward.b.array.astype(numpy.float64)
    wl = link.lateral.W.array.astype(numpy.float64)
    n = link.state_size
    if c is None:
        c = numpy.zeros((len(x), n))
    c_new = numpy.array(c, numpy.float64)
    h_new = numpy.zeros((len(x), n))
    for row in range(len(x)):
        pre = wu @ x[row] + bu
        if h is not None:
            pre = pre + wl @ h[row]
        for k in range(n):
            a = math.tanh(pre[4 * k])
            i = _sigmoid(pre[4 * k + 1])
            f = _sigmoid(pre[4 * k + 2])
            o = _sigmoid(pre[4 * k + 3])
            c_new[row, k] = a * i + f * c[row, k]
            h_new[row, k] = o * math.tanh(c_new[row, k])
    return c_new, h_new


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


@testing.fix_random()
def test_initialization_is_blockwise_with_forget_bias_one():
    numpy.random.seed(1)
    link = L.LSTM(3, 2)
    numpy.random.seed(1)
    lateral = numpy.empty((8, 2), numpy.float32)
    upward = numpy.empty((8, 3), numpy.float32)
    for start in range(0, 8, 2):
        # One initializer call per gate block, lateral first (as Chainer).
        initializers.LeCunNormal()(lateral[start:start + 2])
        initializers.LeCunNormal()(upward[start:start + 2])
    numpy.testing.assert_array_equal(link.lateral.W.array, lateral)
    numpy.testing.assert_array_equal(link.upward.W.array, upward)
    numpy.testing.assert_array_equal(link.upward.b.array,
                                     [0, 0, 1, 0, 0, 0, 1, 0])
    assert link.lateral.b is None
    assert sorted(n for n, _ in link.namedparams()) == [
        '/lateral/W', '/upward/W', '/upward/b']


def test_custom_initializers():
    link = L.LSTM(2, 3, lateral_init=initializers.Constant(0.5),
                  upward_init=0.25, bias_init=-1, forget_bias_init=2)
    numpy.testing.assert_array_equal(link.lateral.W.array, 0.5)
    numpy.testing.assert_array_equal(link.upward.W.array, 0.25)
    numpy.testing.assert_array_equal(link.upward.b.array,
                                     [-1, -1, 2, -1] * 3)


@testing.fix_random()
def test_sequence_matches_reference():
    link = L.LSTM(3, 4)
    c = h = None
    for _ in range(3):
        x = _x(2, 3)
        y = link(x)
        c, h = _reference_step(link, c, h, x)
        numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
        numpy.testing.assert_allclose(link.c.array, c, rtol=1e-5, atol=1e-6)
        assert link.h is y


@testing.fix_random()
def test_deferred_in_size():
    link = L.LSTM(5)
    assert link.upward.W.array is None and link.state_size == 5
    link(_x(2, 3, 2))
    assert link.upward.W.shape == (20, 6)
    assert link.lateral.W.shape == (20, 5)
    numpy.testing.assert_array_equal(link.upward.b.array[2::4], 1)
    link2 = L.LSTM(None, 5)
    link2(_x(1, 4))
    assert link2.upward.W.shape == (20, 4)


@testing.fix_random()
def test_shrinking_batch_keeps_the_other_rows():
    link = L.LSTM(3, 2)
    link(_x(3, 3))
    c0, h0 = link.c.array.copy(), link.h.array.copy()
    x = _x(2, 3)
    y = link(x)
    assert y.shape == (2, 2) and link.h.shape == (3, 2)
    numpy.testing.assert_array_equal(link.h.array[2:], h0[2:])
    numpy.testing.assert_array_equal(link.c.array[2:], c0[2:])
    c, h = _reference_step(link, c0[:2], h0[:2], x)
    numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
    # An empty step changes nothing.
    y = link(_x(0, 3))
    assert y.shape == (0, 2)
    numpy.testing.assert_array_equal(link.c.array[2:], c0[2:])
    assert link.h.shape == (3, 2)


def test_growing_batch_is_an_error():
    link = L.LSTM(3, 2)
    link(_x(1, 3))
    with pytest.raises(TypeError, match=r'LSTM.*more rows \(2\).*\(1\)'):
        link(_x(2, 3))


@testing.fix_random()
def test_reset_and_set_state():
    link = L.LSTM(3, 2)
    x = _x(2, 3)
    first = link(x).array.copy()
    link(x)
    link.reset_state()
    assert link.c is None and link.h is None
    numpy.testing.assert_array_equal(link(x).array, first)
    c = dynet.Variable(_x(2, 2))
    h = dynet.Variable(_x(2, 2))
    link.set_state(c, h)
    assert link.c is c and link.h is h
    y = link(x)
    _, expected = _reference_step(link, c.array, h.array, x)
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match='set_state'):
        link.set_state(c.array, h)


@testing.fix_random()
def test_gradients_reach_every_parameter():
    link = L.LSTM(3, 2)
    loss = 0
    for _ in range(2):
        loss += F.sum(link(_x(2, 3)))
    link.cleargrads()
    loss.backward()
    for name, param in link.namedparams():
        assert param.grad is not None and numpy.abs(param.grad).sum() > 0, \
            name


@testing.fix_random()
def test_serialization_round_trip():
    link = L.LSTM(3, 2)
    link(_x(1, 3))
    buffer = io.BytesIO()
    serializers.save_npz(buffer, link)
    buffer.seek(0)
    with numpy.load(buffer) as npz:
        assert sorted(npz.keys()) == ['lateral/W', 'upward/W', 'upward/b']
    buffer.seek(0)
    other = L.LSTM(None, 2)
    serializers.load_npz(buffer, other)
    for (n1, p1), (n2, p2) in zip(sorted(link.namedparams()),
                                  sorted(other.namedparams())):
        assert n1 == n2
        numpy.testing.assert_array_equal(p1.array, p2.array)
    assert other.h is None


@testing.fix_random()
def test_stateless_lstm():
    link = L.StatelessLSTM(3, 2)
    x, c, h = _x(2, 3), _x(2, 2), _x(2, 2)
    c_new, h_new = link(c, h, x)
    ec, eh = _reference_step(link, c, h, x)
    numpy.testing.assert_allclose(c_new.array, ec, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(h_new.array, eh, rtol=1e-5, atol=1e-6)
    # None state: zero cell, no lateral term.
    c_new, h_new = link(None, None, x)
    ec, eh = _reference_step(link, None, None, x)
    numpy.testing.assert_allclose(h_new.array, eh, rtol=1e-5, atol=1e-6)
    deferred = L.StatelessLSTM(2)
    deferred(None, None, _x(1, 4))
    assert deferred.upward.W.shape == (8, 4)
    numpy.testing.assert_array_equal(deferred.upward.b.array[2::4], 1)
