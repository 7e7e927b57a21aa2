"""Tests of the NStep links: L.NStep(Bi)LSTM, L.NStep(Bi)GRU and
L.NStep(Bi)RNN(Tanh|ReLU), parameterized over the link class."""
import copy
import io

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import initializers
from dynet import serializers
from dynet import testing

# (link class, function, keyword arguments, weights per cell)
_CASES = [(L.NStepLSTM, F.n_step_lstm, {}, 8),
          (L.NStepBiLSTM, F.n_step_bilstm, {}, 8),
          (L.NStepGRU, F.n_step_gru, {}, 6),
          (L.NStepBiGRU, F.n_step_bigru, {}, 6),
          (L.NStepRNNTanh, F.n_step_rnn, {'activation': 'tanh'}, 2),
          (L.NStepRNNReLU, F.n_step_rnn, {'activation': 'relu'}, 2),
          (L.NStepBiRNNTanh, F.n_step_birnn, {'activation': 'tanh'}, 2),
          (L.NStepBiRNNReLU, F.n_step_birnn, {'activation': 'relu'}, 2)]
_over_links = pytest.mark.parametrize(
    'cls, func, kwargs, n_weights', _CASES,
    ids=[case[0].__name__ for case in _CASES])


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def _states(link, batch):
    shape = (link.n_layers * link.direction, batch, link.out_size)
    return [_x(*shape) for _ in range(link.n_cells)]


def _expected(link, states, seqs, func, kwargs):
    """Sorts by decreasing length (stable), transposes with plain loops,
    calls the function with the link's parameters and undoes both."""
    order = sorted(range(len(seqs)), key=lambda i: -len(seqs[i]))
    ordered = [seqs[i] for i in order]
    xs = [numpy.stack([s[t] for s in ordered if len(s) > t])
          for t in range(len(ordered[0]))]
    sorted_states = [s[:, order] for s in states]
    out = func(link.n_layers, 0.0, *sorted_states, link.ws, link.bs, xs,
               **kwargs)
    finals = []
    for s in out[:-1]:
        restored = numpy.empty_like(s.array)
        restored[:, order] = s.array
        finals.append(restored)
    ys = [None] * len(seqs)
    for position, index in enumerate(order):
        ys[index] = numpy.stack([y.array[position] for y in out[-1]
                                 if y.shape[0] > position])
    return finals, ys


def _call(link, states, seqs):
    out = link(*(list(states) + [seqs]))
    return out[:-1], out[-1]


@_over_links
@testing.fix_random()
def test_parameters_follow_chainers_layout(cls, func, kwargs, n_weights):
    numpy.random.seed(2)
    link = cls(2, 3, 4, 0.0)
    directions = 2 if cls.use_bi_direction else 1
    assert len(link) == 2 * directions
    assert link.n_layers == 2 and link.direction == directions
    assert link.out_size == 4 and link.dropout == 0.0
    names = sorted(name for name, _ in link.namedparams())
    assert names == sorted(
        '/{}/{}{}'.format(i, kind, j) for i in range(2 * directions)
        for kind in 'wb' for j in range(n_weights))
    # Weights come from Normal(sqrt(1 / w_in)) in creation order (layer,
    # direction, index), biases are zero.
    numpy.random.seed(2)
    for i, child in enumerate(link):
        layer = i // directions
        for j in range(n_weights):
            if j >= n_weights // 2:
                w_in = 4
            else:
                w_in = 3 if layer == 0 else 4 * directions
            w = getattr(child, 'w%d' % j)
            expected = numpy.empty((4, w_in), numpy.float32)
            initializers.Normal(numpy.sqrt(1. / w_in))(expected)
            numpy.testing.assert_array_equal(w.array, expected)
            numpy.testing.assert_array_equal(getattr(child, 'b%d' % j).array,
                                             0)
            assert link.ws[i][j] is w
            assert link.bs[i][j] is getattr(child, 'b%d' % j)


@_over_links
@testing.fix_random()
def test_forward_sorts_and_restores_the_sequences(cls, func, kwargs,
                                                  n_weights):
    link = cls(2, 3, 2, 0.0)
    seqs = [_x(n, 3) for n in (2, 4, 1, 4)]
    states = _states(link, 4)
    finals, ys = _call(link, [dynet.Variable(s) for s in states], seqs)
    e_finals, e_ys = _expected(link, states, seqs, func, kwargs)
    assert len(finals) == link.n_cells
    for a, e in zip(finals, e_finals):
        numpy.testing.assert_allclose(a.array, e, rtol=1e-6, atol=1e-7)
    assert len(ys) == 4
    for y, e, s in zip(ys, e_ys, seqs):
        assert y.shape == (len(s), 2 * link.direction)
        numpy.testing.assert_allclose(y.array, e, rtol=1e-6, atol=1e-7)


@_over_links
@testing.fix_random()
def test_none_states_are_zeros(cls, func, kwargs, n_weights):
    link = cls(1, 3, 2, 0.0)
    seqs = [_x(n, 3) for n in (1, 3)]
    finals, ys = _call(link, [None] * link.n_cells, seqs)
    zeros = [numpy.zeros((link.direction, 2, 2), numpy.float32)] * \
        link.n_cells
    e_finals, e_ys = _expected(link, zeros, seqs, func, kwargs)
    for a, e in zip(finals + tuple(ys), e_finals + e_ys):
        numpy.testing.assert_allclose(a.array, e, rtol=1e-6, atol=1e-7)


@_over_links
@testing.fix_random()
def test_gradients_reach_every_parameter(cls, func, kwargs, n_weights):
    link = cls(2, 3, 2, 0.0)
    seqs = [_x(n, 3) for n in (3, 1, 2)]
    states = [dynet.Variable(s) for s in _states(link, 3)]
    finals, ys = _call(link, states, seqs)
    loss = F.sum(finals[0] * finals[0])
    for y in ys:
        loss += F.sum(y * y)
    link.cleargrads()
    loss.backward()
    for name, param in link.namedparams():
        assert param.grad is not None and numpy.abs(param.grad).sum() > 0, \
            name
    for s in states:
        assert numpy.abs(s.grad).sum() > 0


@_over_links
@testing.fix_random()
def test_serialization_round_trip(cls, func, kwargs, n_weights):
    link = cls(2, 3, 2, 0.0)
    buffer = io.BytesIO()
    serializers.save_npz(buffer, link)
    buffer.seek(0)
    with numpy.load(buffer) as npz:
        assert '0/w0' in npz and '1/b%d' % (n_weights - 1) in npz
        assert len(npz.keys()) == 2 * n_weights * len(link)
    buffer.seek(0)
    other = cls(2, 3, 2, 0.0)
    serializers.load_npz(buffer, other)
    for (n1, p1), (n2, p2) in zip(link.namedparams(), other.namedparams()):
        assert n1 == n2
        numpy.testing.assert_array_equal(p1.array, p2.array)
    seqs = [_x(2, 3)]
    for a, b in zip(_call(link, [None] * link.n_cells, seqs)[1],
                    _call(other, [None] * link.n_cells, seqs)[1]):
        numpy.testing.assert_array_equal(a.array, b.array)


@_over_links
def test_copies_use_their_own_parameters(cls, func, kwargs, n_weights):
    link = cls(1, 2, 2, 0.0)
    for mode in ('share', 'copy', 'init'):
        clone = link.copy(mode)
        params = dict(clone.namedparams())
        for i, group in enumerate(clone.ws):
            for j, w in enumerate(group):
                assert w is params['/{}/w{}'.format(i, j)]
    deep = copy.deepcopy(link)
    assert deep.ws[0][0] is deep[0].w0


@_over_links
def test_removed_and_unknown_arguments(cls, func, kwargs, n_weights):
    with pytest.raises(ValueError, match='use_cudnn'):
        cls(1, 2, 2, 0.0, use_cudnn=False)
    with pytest.raises(ValueError, match='use_bi_direction'):
        cls(1, 2, 2, 0.0, use_bi_direction=True)
    with pytest.raises(TypeError, match='unexpected.*foo'):
        cls(1, 2, 2, 0.0, foo=1)
    link = cls(1, 2, 2, 0.0)
    with pytest.raises(ValueError, match='train argument'):
        link(*([None] * link.n_cells + [[_x(1, 2)]]), train=False)
