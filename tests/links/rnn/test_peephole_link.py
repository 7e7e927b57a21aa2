"""Tests of L.StatefulPeepholeLSTM."""
import io

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import gradient_check
from dynet import serializers
from dynet import testing

_CHILDREN = {'upward': (8, 3), 'lateral': (8, 2), 'peep_i': (2, 2),
             'peep_f': (2, 2), 'peep_o': (2, 2)}


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def _sigmoid(v):
    return 1 / (1 + numpy.exp(-v))


def _matmul_t(v, link):
    return v @ link.W.array.astype(numpy.float64).T


def _reference(link, c, h, x):
    """One step written from the peephole LSTM equations; the columns of
    upward/lateral are gate-interleaved (4 k + j: gate j of unit k)."""
    x = x.astype(numpy.float64)
    z = _matmul_t(x, link.upward) + link.upward.b.array
    if h is not None:
        z = z + _matmul_t(h, link.lateral)
    n = link.state_size
    if c is None:
        c = numpy.zeros((len(x), n))
    a, i, f, o = (z[:, j::4] for j in range(4))
    a = numpy.tanh(a)
    i = _sigmoid(i + _matmul_t(c, link.peep_i))
    f = _sigmoid(f + _matmul_t(c, link.peep_f))
    c_new = a * i + f * c
    o = _sigmoid(o + _matmul_t(c_new, link.peep_o))
    return c_new, o * numpy.tanh(c_new)


@testing.fix_random()
def test_structure():
    link = L.StatefulPeepholeLSTM(3, 2)
    shapes = {name: tuple(p.shape) for name, p in link.namedparams()}
    expected = {'/{}/W'.format(name): shape
                for name, shape in _CHILDREN.items()}
    expected['/upward/b'] = (8,)
    assert shapes == expected
    numpy.testing.assert_array_equal(link.upward.b.array, 0)
    assert link.c is None and link.h is None


@testing.fix_random()
def test_sequence_against_reference():
    link = L.StatefulPeepholeLSTM(3, 2)
    c = h = None
    for _ in range(3):
        x = _x(4, 3)
        y = link(x)
        c, h = _reference(link, c, h, x)
        numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
        numpy.testing.assert_allclose(link.c.array, c, rtol=1e-5,
                                      atol=1e-6)
        assert link.h is y and y.dtype == numpy.float32


@testing.fix_random()
def test_deferred_input_size():
    link = L.StatefulPeepholeLSTM(None, 2)
    assert link.upward.W.array is None
    x = _x(1, 5)
    y = link(x)
    assert link.upward.W.shape == (8, 5)
    numpy.testing.assert_allclose(y.array, _reference(link, None, None,
                                                      x)[1], rtol=1e-5)


@testing.fix_random()
def test_gradients_over_two_steps():
    link = L.StatefulPeepholeLSTM(3, 2)
    x1, x2, gy = _x(2, 3), _x(2, 3), _x(2, 2)

    def two_steps(x1, x2):
        link.reset_state()
        link(x1)
        return link(x2)
    gradient_check.check_backward(two_steps, (x1, x2), gy,
                                  params=list(link.params()),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-3)


@testing.fix_random()
def test_reset_and_set_state():
    link = L.StatefulPeepholeLSTM(3, 2)
    link(_x(2, 3))
    link.reset_state()
    assert link.c is None and link.h is None
    c, h = dynet.Variable(_x(2, 2)), dynet.Variable(_x(2, 2))
    link.set_state(c, h)
    assert link.c is c and link.h is h
    x = _x(2, 3)
    expected = _reference(link, c.array, h.array, x)[1]
    numpy.testing.assert_allclose(link(x).array, expected, rtol=1e-5,
                                  atol=1e-6)
    with pytest.raises(TypeError, match='StatefulPeepholeLSTM.set_state: '
                       'c must be a Variable, got ndarray'):
        link.set_state(c.array, h)


def test_batch_size_change_is_an_error():
    link = L.StatefulPeepholeLSTM(3, 2)
    link(_x(2, 3))
    with pytest.raises(TypeError, match='x has 3 rows but the stored state '
                       'has 2.*reset_state'):
        link(_x(3, 3))


class _RecordingVariable(dynet.Variable):
    """Records the devices it is moved to."""

    def to_device(self, device):
        self.moves = getattr(self, 'moves', []) + [str(device)]
        return super().to_device(device)


@testing.fix_random()
def test_to_device_moves_the_state_with_the_parent():
    link = L.StatefulPeepholeLSTM(3, 2)
    c, h = _RecordingVariable(_x(2, 2)), _RecordingVariable(_x(2, 2))
    link.set_state(c, h)
    chain = dynet.Chain()
    with chain.init_scope():
        chain.rnn = link
    chain.to_device('@numpy')
    assert c.moves[-1] == h.moves[-1] == '@numpy'
    assert len(c.moves) == 2  # set_state, then the move
    x = _x(2, 3)
    expected = _reference(link, c.array, h.array, x)[1]
    numpy.testing.assert_allclose(link(x).array, expected, rtol=1e-5,
                                  atol=1e-6)


@testing.fix_random()
def test_serialization_round_trip():
    link = L.StatefulPeepholeLSTM(3, 2)
    link(_x(1, 3))
    buffer = io.BytesIO()
    serializers.save_npz(buffer, link)
    buffer.seek(0)
    with numpy.load(buffer) as saved:
        # The state is not saved, as in Chainer.
        assert sorted(saved.keys()) == sorted(
            ['{}/W'.format(name) for name in _CHILDREN] + ['upward/b'])
    buffer.seek(0)
    other = L.StatefulPeepholeLSTM(3, 2)
    serializers.load_npz(buffer, other)
    x = _x(2, 3)
    link.reset_state()
    numpy.testing.assert_array_equal(other(x).array, link(x).array)
    F.sum(other.h).backward()
    assert numpy.abs(other.peep_o.W.grad).sum() > 0
