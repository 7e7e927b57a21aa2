"""Tests of F.n_step_gru and F.n_step_bigru."""

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_N_WEIGHTS = 6


def _sigmoid(v):
    return 1.0 / (1.0 + numpy.exp(-v))


def _cell(x, h, c, w, b):
    r = _sigmoid(w[0] @ x + b[0] + w[3] @ h + b[3])
    z = _sigmoid(w[1] @ x + b[1] + w[4] @ h + b[4])
    h_bar = numpy.tanh(w[2] @ x + b[2] + r * (w[5] @ h + b[5]))
    return (1 - z) * h_bar + z * h, None


def _reference(n_layers, hx, cx, ws, bs, seqs, bi, masks=None):
    """Runs every sequence on its own (batch-major, float64): the forward
    direction over steps 0..L-1 from hx[2 i] (or hx[i]), the backward one
    over L-1..0 from hx[2 i + 1]; a layer's output is [forward, backward].
    ``masks[layer, d][t]`` (optional) multiplies the inputs of step ``t``
    of direction ``d`` of layer ``layer > 0`` (dropout). Returns hy, cy
    and the per-sequence outputs of the last layer."""
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
                    h, c = _cell(inp[t], h, c, w, b)
                    hs[t] = h
                hy[idx, j] = h
                if cx is not None:
                    cy[idx, j] = c
                per_direction.append(
                    numpy.array(hs).reshape(len(seq), -1))
            new_outs.append(numpy.concatenate(per_direction, axis=1))
        outs = new_outs
    return hy, cy, outs


def _make_weights(n_layers, in_size, out_size, directions, dtype):
    ws, bs = [], []
    for layer in range(n_layers):
        for _ in range(directions):
            w_in = in_size if layer == 0 else out_size * directions
            ws.append([numpy.random.uniform(
                -1, 1, (out_size, w_in if j < _N_WEIGHTS // 2 else out_size)
            ).astype(dtype) for j in range(_N_WEIGHTS)])
            bs.append([numpy.random.uniform(-1, 1, out_size).astype(dtype)
                       for _ in range(_N_WEIGHTS)])
    return ws, bs


def _time_major(seqs):
    return [numpy.stack([s[t] for s in seqs if len(s) > t])
            for t in range(len(seqs[0]))]


def _batch_major(xs):
    batch = xs[0].shape[0]
    return [numpy.stack([x[j] for x in xs if x.shape[0] > j])
            for j in range(batch)]


@testing.parameterize(*testing.product({
    'lengths': [(3, 2, 2, 1), (2, 2), (1,)],
    'n_layers': [1, 2],
    'bi': [False, True],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestNStep(testing.FunctionTestCase):

    in_size = 3
    out_size = 2

    def setUp(self):
        self.directions = 2 if self.bi else 1
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
        ws, bs = _make_weights(self.n_layers, self.in_size, self.out_size,
                               self.directions, dtype)
        states = [numpy.random.uniform(-1, 1, state).astype(dtype)
                  for _ in range(1)]
        return tuple(states + _time_major(seqs) + sum(ws, []) + sum(bs, []))

    def _unpack(self, inputs):
        n_states = 1
        states = list(inputs[:n_states])
        xs = list(inputs[n_states:n_states + self.n_steps])
        flat = inputs[n_states + self.n_steps:]
        count = self.n_cells * _N_WEIGHTS
        ws = [list(flat[i * _N_WEIGHTS:(i + 1) * _N_WEIGHTS])
              for i in range(self.n_cells)]
        bs = [list(flat[count + i * _N_WEIGHTS:count + (i + 1) * _N_WEIGHTS])
              for i in range(self.n_cells)]
        return states, xs, ws, bs

    def forward(self, inputs, device):
        states, xs, ws, bs = self._unpack(inputs)
        func = F.n_step_bigru if self.bi else F.n_step_gru
        out = func(self.n_layers, 0.0, *states, ws, bs, xs)
        return tuple(out[:-1]) + tuple(out[-1])

    def forward_expected(self, inputs):
        states, xs, ws, bs = self._unpack(inputs)
        hx = states[0]
        cx = states[1] if len(states) > 1 else None
        hy, cy, outs = _reference(self.n_layers, hx, cx, ws, bs,
                                  _batch_major(xs), self.bi)
        expected = [hy] if cy is None else [hy, cy]
        expected += _time_major(outs)
        return tuple(e.astype(self.dtype) for e in expected)


def _setup(n_layers=2, bi=False, lengths=(3, 2, 1), in_size=3, out_size=2,
           dtype=numpy.float64, extra_rows=0):
    directions = 2 if bi else 1
    seqs = [numpy.random.uniform(-1, 1, (n, in_size)).astype(dtype)
            for n in lengths]
    ws, bs = _make_weights(n_layers, in_size, out_size, directions, dtype)
    state = (n_layers * directions, len(lengths) + extra_rows, out_size)
    states = [numpy.random.uniform(-1, 1, state).astype(dtype)
              for _ in range(1)]
    return states, seqs, ws, bs


def _call(bi, n_layers, ratio, states, ws, bs, xs, **kwargs):
    func = F.n_step_bigru if bi else F.n_step_gru
    return func(n_layers, ratio, *states, ws, bs, xs, **kwargs)


@testing.fix_random()
def test_state_rows_past_the_batch_are_kept():
    states, seqs, ws, bs = _setup(extra_rows=2)
    out = _call(False, 2, 0.0, states, ws, bs, _time_major(seqs))
    hy = out[0].array
    assert hy.shape == states[0].shape
    numpy.testing.assert_array_equal(hy[:, 3:], states[0][:, 3:])
    cx = states[1] if len(states) > 1 else None
    ref_hy, _, _ = _reference(2, states[0], cx, ws, bs, seqs, False)
    numpy.testing.assert_allclose(hy[:, :3], ref_hy[:, :3], rtol=1e-12)


@testing.fix_random()
def test_returns_a_tuple_of_time_steps():
    states, seqs, ws, bs = _setup(bi=True, lengths=(4, 2))
    out = _call(True, 2, 0.0, states, ws, bs, _time_major(seqs))
    assert len(out) == 1 + 1
    ys = out[-1]
    assert isinstance(ys, tuple) and len(ys) == 4
    assert [y.shape for y in ys] == [(2, 4), (2, 4), (1, 4), (1, 4)]


@pytest.mark.parametrize('bi', [False, True])
@testing.fix_random()
def test_an_empty_step_changes_nothing(bi):
    states, seqs, ws, bs = _setup(bi=bi, lengths=(2, 1))
    xs = _time_major(seqs)
    with_empty = _call(bi, 2, 0.0, states, ws, bs,
                       xs + [numpy.zeros((0, 3))])
    without = _call(bi, 2, 0.0, states, ws, bs, xs)
    for a, b in zip(with_empty[:-1], without[:-1]):
        numpy.testing.assert_array_equal(a.array, b.array)
    assert len(with_empty[-1]) == 3
    assert with_empty[-1][-1].shape == (0, 2 * (2 if bi else 1))


@pytest.mark.parametrize('bi', [False, True])
@testing.fix_random()
def test_dropout_follows_chainers_masks(bi):
    # Dropout hits the inputs of layers > 0 only, one mask per direction,
    # drawn step by step from NumPy's global generator (Chainer's order).
    ratio = 0.4
    n_layers = 3
    states, seqs, ws, bs = _setup(n_layers=n_layers, bi=bi)
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
    expected = _reference(n_layers, states[0], cx, ws, bs, seqs, bi,
                          masks=masks)
    numpy.random.seed(3)
    with dynet.using_config('train', True):
        out = _call(bi, n_layers, ratio, states, ws, bs, xs)
    numpy.testing.assert_allclose(out[0].array, expected[0], rtol=1e-12)
    for y, e in zip(out[-1], _time_major(expected[2])):
        numpy.testing.assert_allclose(y.array, e, rtol=1e-12)
    # In test mode nothing is dropped.
    with dynet.using_config('train', False):
        out = _call(bi, n_layers, ratio, states, ws, bs, xs)
    expected = _reference(n_layers, states[0], cx, ws, bs, seqs, bi)
    numpy.testing.assert_allclose(out[0].array, expected[0], rtol=1e-12)


@testing.fix_random()
def test_gradient_reaches_every_input():
    states, seqs, ws, bs = _setup(bi=True)
    states = [dynet.Variable(s) for s in states]
    xs = [dynet.Variable(x) for x in _time_major(seqs)]
    ws = [[dynet.Variable(w) for w in group] for group in ws]
    bs = [[dynet.Variable(b) for b in group] for group in bs]
    out = _call(True, 2, 0.0, states, ws, bs, xs)
    loss = F.sum(out[0] * out[0])
    for y in out[-1]:
        loss += F.sum(y * y)
    loss.backward()
    for v in states + xs + sum(ws, []) + sum(bs, []):
        assert v.grad is not None and numpy.abs(v.grad).sum() > 0


def test_unsorted_steps_are_an_error():
    states, seqs, ws, bs = _setup(n_layers=1)
    xs = _time_major(seqs)[::-1]
    with pytest.raises(ValueError, match=r'n_step_gru.*non-increasing.*'
                       r'xs\[1\].shape\[0\] == 2 > xs\[0\].shape\[0\] == 1'):
        _call(False, 1, 0.0, states, ws, bs, xs)


def test_input_size_mismatch():
    states, seqs, ws, bs = _setup(n_layers=1, in_size=3)
    xs = [numpy.zeros((3, 4)), numpy.zeros((2, 4))]
    with pytest.raises(ValueError,
                       match=r'n_step_gru.*xs \(4\).*ws\[0\]\[0\] \(3\)'):
        _call(False, 1, 0.0, states, ws, bs, xs)


def test_weight_and_state_errors():
    states, seqs, ws, bs = _setup(n_layers=2)
    xs = _time_major(seqs)
    with pytest.raises(ValueError,
                       match=r'n_step_gru.*ws must be a list of 2'):
        _call(False, 2, 0.0, states, ws[:1], bs, xs)
    bad = [list(group) for group in ws]
    bad[1][-1] = numpy.zeros((2, 3))
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)n_step_gru.*ws\[1\]\[5\].shape == '
                             r'\(2, 2\).*\(2, 3\)'):
        _call(False, 2, 0.0, states, bad, bs, xs)
    small = [s[:, :2] for s in states]
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)n_step_gru.*hx.shape == \(2, B, 2\) '
                             r'with B >=.*\(2, 2, 2\)'):
        _call(False, 2, 0.0, small, ws, bs, xs)
    with pytest.raises(ValueError,
                       match='n_step_gru.*at least one time step'):
        _call(False, 2, 0.0, states, ws, bs, [])
    f32 = [[w.astype(numpy.float32) for w in group] for group in ws]
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        _call(False, 2, 0.0, states, f32, bs, xs)


def test_removed_arguments():
    states, seqs, ws, bs = _setup(n_layers=1)
    xs = _time_major(seqs)
    with pytest.raises(ValueError, match='n_step_gru.*train argument'):
        _call(False, 1, 0.0, states, ws, bs, xs, train=True)
    with pytest.raises(TypeError, match='n_step_bigru.*unexpected.*foo'):
        _call(True, 1, 0.0, states, ws * 2, bs * 2, xs, foo=1)
