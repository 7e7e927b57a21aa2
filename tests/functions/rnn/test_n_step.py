"""Tests of F.n_step_lstm / F.n_step_bilstm, F.n_step_gru / F.n_step_bigru
and F.n_step_rnn / F.n_step_birnn, parameterized over the cell type."""

import collections

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]


def _sigmoid(v):
    return 1.0 / (1.0 + numpy.exp(-v))


def _lstm_cell(x, h, c, w, b, activation):
    i = _sigmoid(w[0] @ x + w[4] @ h + b[0] + b[4])
    f = _sigmoid(w[1] @ x + w[5] @ h + b[1] + b[5])
    a = numpy.tanh(w[2] @ x + w[6] @ h + b[2] + b[6])
    o = _sigmoid(w[3] @ x + w[7] @ h + b[3] + b[7])
    c = f * c + i * a
    return o * numpy.tanh(c), c


def _gru_cell(x, h, c, w, b, activation):
    r = _sigmoid(w[0] @ x + b[0] + w[3] @ h + b[3])
    z = _sigmoid(w[1] @ x + b[1] + w[4] @ h + b[4])
    h_bar = numpy.tanh(w[2] @ x + b[2] + r * (w[5] @ h + b[5]))
    return (1 - z) * h_bar + z * h, None


def _rnn_cell(x, h, c, w, b, activation):
    pre = w[0] @ x + b[0] + w[1] @ h + b[1]
    if activation == 'tanh':
        return numpy.tanh(pre), None
    return numpy.maximum(pre, 0), None


_Cell = collections.namedtuple(
    '_Cell', ['name', 'n_weights', 'n_states', 'cell', 'func', 'bifunc'])

_CELLS = {
    'lstm': _Cell('lstm', 8, 2, _lstm_cell, F.n_step_lstm, F.n_step_bilstm),
    'gru': _Cell('gru', 6, 1, _gru_cell, F.n_step_gru, F.n_step_bigru),
    'rnn': _Cell('rnn', 2, 1, _rnn_cell, F.n_step_rnn, F.n_step_birnn),
}
_over_cells = pytest.mark.parametrize('variant', sorted(_CELLS))


def _reference(variant, n_layers, hx, cx, ws, bs, seqs, bi,
               activation='tanh', masks=None):
    """Runs every sequence on its own (batch-major, float64): the forward
    direction over steps 0..L-1 from hx[2 i] (or hx[i]), the backward one
    over L-1..0 from hx[2 i + 1]; a layer's output is [forward, backward].
    ``masks[layer, d][t]`` (optional) multiplies the inputs of step ``t``
    of direction ``d`` of layer ``layer > 0`` (dropout). ``activation``
    is used by the plain RNN cell only. Returns hy, cy (None without a
    cell state) and the per-sequence outputs of the last layer."""
    cell = _CELLS[variant].cell
    directions = 2 if bi else 1
    hy = numpy.array(hx, numpy.float64)
    cy = None if cx is None else numpy.array(cx, numpy.float64)
    outs = [numpy.asarray(s, numpy.float64) for s in seqs]
    for layer in range(n_layers):
        new_outs = []
        for j, seq in enumerate(outs):
            per_direction = []
            for d in range(directions):
                idx = layer * directions + d
                inp = seq
                if masks is not None and layer > 0:
                    inp = seq * numpy.array(
                        [masks[layer, d][t][j]
                         for t in range(len(seq))])
                w = [numpy.asarray(v, numpy.float64) for v in ws[idx]]
                b = [numpy.asarray(v, numpy.float64) for v in bs[idx]]
                h = hy[idx, j].copy()
                c = None if cx is None else cy[idx, j].copy()
                hs = [None] * len(seq)
                steps = range(len(seq))
                if d == 1:
                    steps = reversed(steps)
                for t in steps:
                    h, c = cell(inp[t], h, c, w, b, activation)
                    hs[t] = h
                hy[idx, j] = h
                if cx is not None:
                    cy[idx, j] = c
                per_direction.append(
                    numpy.array(hs).reshape(len(seq), -1))
            new_outs.append(numpy.concatenate(per_direction, axis=1))
        outs = new_outs
    return hy, cy, outs


def _make_weights(n_weights, n_layers, in_size, out_size, directions,
                  dtype):
    ws, bs = [], []
    for layer in range(n_layers):
        for _ in range(directions):
            w_in = in_size if layer == 0 else out_size * directions
            ws.append([numpy.random.uniform(
                -1, 1, (out_size, w_in if j < n_weights // 2 else out_size)
            ).astype(dtype) for j in range(n_weights)])
            bs.append([numpy.random.uniform(-1, 1, out_size).astype(dtype)
                       for _ in range(n_weights)])
    return ws, bs


def _time_major(seqs):
    return [numpy.stack([s[t] for s in seqs if len(s) > t])
            for t in range(len(seqs[0]))]


def _batch_major(xs):
    batch = xs[0].shape[0]
    return [numpy.stack([x[j] for x in xs if x.shape[0] > j])
            for j in range(batch)]


_COMMON_GRID = {
    'lengths': [(3, 2, 2, 1), (2, 2), (1,)],
    'n_layers': [1, 2],
    'bi': [False, True],
    'dtype': _FLOATS,
}


@testing.parameterize(*(
    testing.product(dict(_COMMON_GRID, variant=['gru', 'lstm'])) +
    testing.product(dict(_COMMON_GRID, variant=['rnn'],
                         activation=['tanh', 'relu']))))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestNStep(testing.FunctionTestCase):

    in_size = 3
    out_size = 2
    activation = None  # only the plain RNN takes one

    def setUp(self):
        self.cell = _CELLS[self.variant]
        self.directions = 2 if self.bi else 1
        if self.variant == 'rnn':
            self.dodge_nondifferentiable = self.activation == 'relu'
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-2, 'rtol': 1e-2}
            self.check_backward_options = {'eps': 2 ** -4, 'atol': 5e-2,
                                           'rtol': 5e-2}
            self.skip_double_backward_test = True
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
            self.check_backward_options = {'eps': 1e-3, 'atol': 5e-4,
                                           'rtol': 5e-4}
            self.check_double_backward_options = {
                'eps': 1e-3, 'atol': 5e-3, 'rtol': 5e-3}
        else:
            self.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
            self.check_double_backward_options = {
                'eps': 1e-5, 'atol': 1e-7, 'rtol': 1e-6}
        self.n_cells = self.n_layers * self.directions
        self.n_steps = self.lengths[0]

    def generate_inputs(self):
        dtype = self.dtype
        state = (self.n_cells, len(self.lengths), self.out_size)
        seqs = [numpy.random.uniform(-1, 1, (n, self.in_size)).astype(dtype)
                for n in self.lengths]
        ws, bs = _make_weights(self.cell.n_weights, self.n_layers,
                               self.in_size, self.out_size,
                               self.directions, dtype)
        states = [numpy.random.uniform(-1, 1, state).astype(dtype)
                  for _ in range(self.cell.n_states)]
        return tuple(states + _time_major(seqs) + sum(ws, []) + sum(bs, []))

    def _unpack(self, inputs):
        n_weights = self.cell.n_weights
        n_states = self.cell.n_states
        states = list(inputs[:n_states])
        xs = list(inputs[n_states:n_states + self.n_steps])
        flat = inputs[n_states + self.n_steps:]
        count = self.n_cells * n_weights
        ws = [list(flat[i * n_weights:(i + 1) * n_weights])
              for i in range(self.n_cells)]
        bs = [list(flat[count + i * n_weights:count + (i + 1) * n_weights])
              for i in range(self.n_cells)]
        return states, xs, ws, bs

    def forward(self, inputs, device):
        states, xs, ws, bs = self._unpack(inputs)
        func = self.cell.bifunc if self.bi else self.cell.func
        kwargs = {}
        if self.variant == 'rnn':
            kwargs['activation'] = self.activation
        out = func(self.n_layers, 0.0, *states, ws, bs, xs, **kwargs)
        return tuple(out[:-1]) + tuple(out[-1])

    def forward_expected(self, inputs):
        states, xs, ws, bs = self._unpack(inputs)
        hx = states[0]
        cx = states[1] if len(states) > 1 else None
        activation = 'tanh' if self.activation is None else self.activation
        hy, cy, outs = _reference(self.variant, self.n_layers, hx, cx, ws,
                                  bs, _batch_major(xs), self.bi,
                                  activation)
        expected = [hy] if cy is None else [hy, cy]
        expected += _time_major(outs)
        return tuple(e.astype(self.dtype) for e in expected)


def _setup(variant, n_layers=2, bi=False, lengths=(3, 2, 1), in_size=3,
           out_size=2, dtype=numpy.float64, extra_rows=0):
    cell = _CELLS[variant]
    directions = 2 if bi else 1
    seqs = [numpy.random.uniform(-1, 1, (n, in_size)).astype(dtype)
            for n in lengths]
    ws, bs = _make_weights(cell.n_weights, n_layers, in_size, out_size,
                           directions, dtype)
    state = (n_layers * directions, len(lengths) + extra_rows, out_size)
    states = [numpy.random.uniform(-1, 1, state).astype(dtype)
              for _ in range(cell.n_states)]
    return states, seqs, ws, bs


def _call(variant, bi, n_layers, ratio, states, ws, bs, xs, **kwargs):
    cell = _CELLS[variant]
    func = cell.bifunc if bi else cell.func
    return func(n_layers, ratio, *states, ws, bs, xs, **kwargs)


@_over_cells
@testing.fix_random()
def test_state_rows_past_the_batch_are_kept(variant):
    states, seqs, ws, bs = _setup(variant, extra_rows=2)
    out = _call(variant, False, 2, 0.0, states, ws, bs, _time_major(seqs))
    hy = out[0].array
    assert hy.shape == states[0].shape
    numpy.testing.assert_array_equal(hy[:, 3:], states[0][:, 3:])
    cx = states[1] if len(states) > 1 else None
    ref_hy, _, _ = _reference(variant, 2, states[0], cx, ws, bs, seqs,
                              False)
    numpy.testing.assert_allclose(hy[:, :3], ref_hy[:, :3], rtol=1e-12)


@_over_cells
@testing.fix_random()
def test_returns_a_tuple_of_time_steps(variant):
    states, seqs, ws, bs = _setup(variant, bi=True, lengths=(4, 2))
    out = _call(variant, True, 2, 0.0, states, ws, bs, _time_major(seqs))
    assert len(out) == 1 + _CELLS[variant].n_states
    ys = out[-1]
    assert isinstance(ys, tuple) and len(ys) == 4
    assert [y.shape for y in ys] == [(2, 4), (2, 4), (1, 4), (1, 4)]


@_over_cells
@pytest.mark.parametrize('bi', [False, True])
@testing.fix_random()
def test_an_empty_step_changes_nothing(variant, bi):
    states, seqs, ws, bs = _setup(variant, bi=bi, lengths=(2, 1))
    xs = _time_major(seqs)
    with_empty = _call(variant, bi, 2, 0.0, states, ws, bs,
                       xs + [numpy.zeros((0, 3))])
    without = _call(variant, bi, 2, 0.0, states, ws, bs, xs)
    for a, b in zip(with_empty[:-1], without[:-1]):
        numpy.testing.assert_array_equal(a.array, b.array)
    assert len(with_empty[-1]) == 3
    assert with_empty[-1][-1].shape == (0, 2 * (2 if bi else 1))


@_over_cells
@pytest.mark.parametrize('bi', [False, True])
@testing.fix_random()
def test_dropout_follows_chainers_masks(variant, bi):
    # Dropout hits the inputs of layers > 0 only, one mask per direction,
    # drawn step by step from NumPy's global generator (Chainer's order).
    ratio = 0.4
    n_layers = 3
    states, seqs, ws, bs = _setup(variant, n_layers=n_layers, bi=bi)
    xs = _time_major(seqs)
    directions = 2 if bi else 1
    numpy.random.seed(3)
    masks = {}
    for layer in range(1, n_layers):
        for d in range(directions):
            masks[layer, d] = [
                (numpy.random.rand(x.shape[0], 2 * directions) >= ratio) /
                (1 - ratio) for x in xs]
    cx = states[1] if len(states) > 1 else None
    expected = _reference(variant, n_layers, states[0], cx, ws, bs, seqs,
                          bi, masks=masks)
    numpy.random.seed(3)
    with dynet.using_config('train', True):
        out = _call(variant, bi, n_layers, ratio, states, ws, bs, xs)
    numpy.testing.assert_allclose(out[0].array, expected[0], rtol=1e-12)
    for y, e in zip(out[-1], _time_major(expected[2])):
        numpy.testing.assert_allclose(y.array, e, rtol=1e-12)
    # In test mode nothing is dropped.
    with dynet.using_config('train', False):
        out = _call(variant, bi, n_layers, ratio, states, ws, bs, xs)
    expected = _reference(variant, n_layers, states[0], cx, ws, bs, seqs,
                          bi)
    numpy.testing.assert_allclose(out[0].array, expected[0], rtol=1e-12)


@_over_cells
@testing.fix_random()
def test_gradient_reaches_every_input(variant):
    states, seqs, ws, bs = _setup(variant, bi=True)
    states = [dynet.Variable(s) for s in states]
    xs = [dynet.Variable(x) for x in _time_major(seqs)]
    ws = [[dynet.Variable(w) for w in group] for group in ws]
    bs = [[dynet.Variable(b) for b in group] for group in bs]
    out = _call(variant, True, 2, 0.0, states, ws, bs, xs)
    loss = F.sum(out[0] * out[0])
    for y in out[-1]:
        loss += F.sum(y * y)
    loss.backward()
    for v in states + xs + sum(ws, []) + sum(bs, []):
        assert v.grad is not None and numpy.abs(v.grad).sum() > 0


@_over_cells
def test_unsorted_steps_are_an_error(variant):
    states, seqs, ws, bs = _setup(variant, n_layers=1)
    xs = _time_major(seqs)[::-1]
    with pytest.raises(ValueError, match=r'n_step_' + variant +
                       r'.*non-increasing.*'
                       r'xs\[1\].shape\[0\] == 2 > xs\[0\].shape\[0\] == 1'):
        _call(variant, False, 1, 0.0, states, ws, bs, xs)


@_over_cells
def test_input_size_mismatch(variant):
    states, seqs, ws, bs = _setup(variant, n_layers=1, in_size=3)
    xs = [numpy.zeros((3, 4)), numpy.zeros((2, 4))]
    with pytest.raises(ValueError,
                       match=r'n_step_' + variant +
                       r'.*xs \(4\).*ws\[0\]\[0\] \(3\)'):
        _call(variant, False, 1, 0.0, states, ws, bs, xs)


@_over_cells
def test_weight_and_state_errors(variant):
    name = 'n_step_' + variant
    last = _CELLS[variant].n_weights - 1
    states, seqs, ws, bs = _setup(variant, n_layers=2)
    xs = _time_major(seqs)
    with pytest.raises(ValueError,
                       match=name + r'.*ws must be a list of 2'):
        _call(variant, False, 2, 0.0, states, ws[:1], bs, xs)
    bad = [list(group) for group in ws]
    bad[1][-1] = numpy.zeros((2, 3))
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)' + name + r'.*ws\[1\]\[%d\].shape == '
                             r'\(2, 2\).*\(2, 3\)' % last):
        _call(variant, False, 2, 0.0, states, bad, bs, xs)
    small = [s[:, :2] for s in states]
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)' + name + r'.*hx.shape == \(2, B, 2\) '
                             r'with B >=.*\(2, 2, 2\)'):
        _call(variant, False, 2, 0.0, small, ws, bs, xs)
    with pytest.raises(ValueError,
                       match=name + '.*at least one time step'):
        _call(variant, False, 2, 0.0, states, ws, bs, [])
    f32 = [[w.astype(numpy.float32) for w in group] for group in ws]
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        _call(variant, False, 2, 0.0, states, f32, bs, xs)


@_over_cells
def test_removed_arguments(variant):
    states, seqs, ws, bs = _setup(variant, n_layers=1)
    xs = _time_major(seqs)
    with pytest.raises(ValueError,
                       match='n_step_' + variant + '.*train argument'):
        _call(variant, False, 1, 0.0, states, ws, bs, xs, train=True)
    with pytest.raises(TypeError,
                       match='n_step_bi' + variant + '.*unexpected.*foo'):
        _call(variant, True, 1, 0.0, states, ws * 2, bs * 2, xs, foo=1)
