"""Tests of L.ChildSumTreeLSTM and L.NaryTreeLSTM."""
import io

import numpy
import pytest

import dynet.functions as F
import dynet.links as L
from dynet import serializers
from dynet import testing


def _sigmoid(v):
    return 1.0 / (1.0 + numpy.exp(-v))


def _lin(link, v):
    y = v.astype(numpy.float64) @ link.W.array.astype(numpy.float64).T
    return y if link.b is None else y + link.b.array


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def _child_sum_reference(link, cs, hs, x):
    n = link.state_size
    wx = _lin(link.W_x, x)
    a, i, o, f_x = (wx[:, j * n:(j + 1) * n] for j in range(4))
    if hs:
        aio = _lin(link.W_h_aio, sum(hs))
        a, i, o = a + aio[:, :n], i + aio[:, n:2 * n], o + aio[:, 2 * n:]
    c = numpy.tanh(a) * _sigmoid(i)
    for ck, hk in zip(cs, hs):
        c = c + _sigmoid(f_x + _lin(link.W_h_f, hk)) * ck
    return c, _sigmoid(o) * numpy.tanh(c)


@testing.fix_random()
def test_child_sum_tree_lstm():
    link = L.ChildSumTreeLSTM(3, 2)
    assert sorted(n for n, _ in link.namedparams()) == [
        '/W_h_aio/W', '/W_h_f/W', '/W_x/W', '/W_x/b']
    x = _x(4, 3)
    for k in (0, 1, 3):
        cs = [_x(4, 2) for _ in range(k)]
        hs = [_x(4, 2) for _ in range(k)]
        c, h = link(*(cs + hs + [x]))
        ec, eh = _child_sum_reference(link, cs, hs, x)
        numpy.testing.assert_allclose(c.array, ec, rtol=1e-5, atol=1e-6)
        numpy.testing.assert_allclose(h.array, eh, rtol=1e-5, atol=1e-6)
    # The children's order does not matter.
    c1, h1 = link(cs[0], cs[1], hs[0], hs[1], x)
    c2, h2 = link(cs[1], cs[0], hs[1], hs[0], x)
    numpy.testing.assert_allclose(h1.array, h2.array, rtol=1e-6)
    # None states are zeros, a None x too.
    zero = numpy.zeros((4, 2), numpy.float32)
    c1, h1 = link(cs[0], None, hs[0], None, None)
    ec, eh = _child_sum_reference(link, [cs[0], zero], [hs[0], zero],
                                  numpy.zeros((4, 3), numpy.float32))
    numpy.testing.assert_allclose(h1.array, eh, rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match='odd number'):
        link(cs[0], x)


@testing.fix_random()
def test_nary_tree_lstm():
    link = L.NaryTreeLSTM(3, 2, n_ary=2)
    assert sorted(n for n, _ in link.namedparams()) == [
        '/W_h1/W', '/W_h2/W', '/W_x/W', '/W_x/b']
    cs = [_x(4, 2), _x(4, 2)]
    hs = [_x(4, 2), _x(4, 2)]
    x = _x(4, 3)
    c, h = link(*(cs + hs + [x]))
    pre = _lin(link.W_x, x) + _lin(link.W_h1, hs[0]) + _lin(link.W_h2, hs[1])
    ec, eh = F.tree_lstm(cs[0].astype('d'), cs[1].astype('d'), pre)
    numpy.testing.assert_allclose(c.array, ec.array, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(h.array, eh.array, rtol=1e-5, atol=1e-6)
    # Missing children: skipped outputs, zero cells.
    c, h = link(cs[0], None, hs[0], None, x)
    pre = _lin(link.W_x, x) + _lin(link.W_h1, hs[0])
    ec, eh = F.tree_lstm(cs[0].astype('d'), numpy.zeros((4, 2)), pre)
    numpy.testing.assert_allclose(h.array, eh.array, rtol=1e-5, atol=1e-6)
    link.cleargrads()
    c, h = link(*(cs + hs + [x]))
    F.sum(c + h).backward()
    for name, param in link.namedparams():
        assert numpy.abs(param.grad).sum() > 0, name
    with pytest.raises(TypeError, match='expected 5 arguments'):
        link(cs[0], hs[0], x)
    with pytest.raises(ValueError, match='all inputs'):
        link(None, None, None, None, None)
    with pytest.raises(ValueError, match='n_ary'):
        L.NaryTreeLSTM(3, 2, n_ary=0)


@testing.fix_random()
def test_serialization_round_trip():
    link = L.NaryTreeLSTM(3, 2, n_ary=3)
    buffer = io.BytesIO()
    serializers.save_npz(buffer, link)
    buffer.seek(0)
    other = L.NaryTreeLSTM(3, 2, n_ary=3)
    serializers.load_npz(buffer, other)
    for (n1, p1), (n2, p2) in zip(link.namedparams(), other.namedparams()):
        assert n1 == n2
        numpy.testing.assert_array_equal(p1.array, p2.array)
