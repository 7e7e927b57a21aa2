"""Tests of F.crf1d and F.argmax_crf1d."""
import itertools

import numpy
import pytest

import dynet.functions as F
from dynet import gradient_check
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]
_K = 3


def _path_score(cost, x, path):
    """Score of one label sequence: emissions plus transitions."""
    score = sum(float(x[i, label]) for i, label in enumerate(path))
    score += sum(float(cost[a, b]) for a, b in zip(path[:-1], path[1:]))
    return score


def _brute_force(cost, x, y):
    """(-log p(y), best score, best path) by enumerating every path of one
    sequence ``x`` (L, K)."""
    paths = list(itertools.product(range(cost.shape[0]), repeat=len(x)))
    scores = numpy.array([_path_score(cost, x, p) for p in paths])
    top = scores.max()
    log_z = top + numpy.log(numpy.exp(scores - top).sum())
    best = int(numpy.argmax(scores))
    return log_z - _path_score(cost, x, y), scores[best], paths[best]


def _sequences(xs, ys):
    """Time-major lists back to per-sequence arrays."""
    batch = xs[0].shape[0]
    seqs, labels = [], []
    for b in range(batch):
        steps = [i for i, x in enumerate(xs) if x.shape[0] > b]
        seqs.append(numpy.stack([xs[i][b] for i in steps]))
        labels.append([int(ys[i][b]) for i in steps])
    return seqs, labels


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 3e-2, 'rtol': 3e-2}
        test.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
        test.check_double_backward_options = {'atol': 1e-1, 'rtol': 1e-1}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
        test.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4}
        test.check_double_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
    else:
        test.check_forward_options = {'atol': 1e-10, 'rtol': 1e-10}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-7}
        test.check_double_backward_options = {'eps': 1e-5, 'atol': 1e-7,
                                              'rtol': 1e-6}


@testing.parameterize(*testing.product({
    # Batch sizes per position (non-increasing).
    'batches': [(2, 2, 2), (3, 2, 1), (1,), (2, 1)],
    'reduce': ['mean', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestCRF1d(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        cost = numpy.random.uniform(-1, 1, (_K, _K)).astype(self.dtype)
        xs = tuple(numpy.random.uniform(-1, 1, (b, _K)).astype(self.dtype)
                   for b in self.batches)
        ys = tuple(numpy.random.randint(0, _K, b).astype(numpy.int32)
                   for b in self.batches)
        return (cost,) + xs + ys

    def forward(self, inputs, device):
        n = len(self.batches)
        cost, xs, ys = inputs[0], inputs[1:n + 1], inputs[n + 1:]
        return F.crf1d(cost, list(xs), list(ys), reduce=self.reduce),

    def forward_expected(self, inputs):
        n = len(self.batches)
        cost = inputs[0].astype(numpy.float64)
        xs = [x.astype(numpy.float64) for x in inputs[1:n + 1]]
        seqs, labels = _sequences(xs, inputs[n + 1:])
        loss = numpy.array([_brute_force(cost, x, y)[0]
                            for x, y in zip(seqs, labels)])
        if self.reduce == 'mean':
            loss = numpy.asarray(loss.mean())
        return loss.astype(self.dtype),


def test_crf1d_matches_chainer_docstring_example():
    # Three sequences of lengths 4, 3, 2, transposed as in Chainer's note.
    numpy.random.seed(0)
    a = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    b = numpy.random.uniform(-1, 1, (3, 3)).astype(numpy.float32)
    c = numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    xs = [numpy.stack([s[i] for s in (a, b, c) if len(s) > i])
          for i in range(4)]
    ys = [numpy.zeros(x.shape[0], numpy.int32) for x in xs]
    cost = numpy.random.uniform(-1, 1, (3, 3)).astype(numpy.float32)
    loss = F.crf1d(cost, xs, ys)
    expected = numpy.mean([_brute_force(cost.astype(float), s,
                                        [0] * len(s))[0] for s in (a, b, c)])
    assert loss.shape == () and loss.dtype == numpy.float32
    numpy.testing.assert_allclose(float(loss.array), expected, rtol=1e-5)


def test_crf1d_gradient_reaches_cost_and_inputs():
    cost = Variable(numpy.zeros((2, 2)))
    x0 = Variable(numpy.array([[0.0, 0.0]]))
    x1 = Variable(numpy.array([[0.0, 0.0]]))
    F.crf1d(cost, [x0, x1], [numpy.array([0]), numpy.array([1])]).backward()
    # Uniform model: the expected counts are 1/4 per transition and 1/2
    # per label at each position; the observed path is 0 -> 1.
    numpy.testing.assert_allclose(cost.grad, [[0.25, -0.75], [0.25, 0.25]])
    numpy.testing.assert_allclose(x0.grad, [[-0.5, 0.5]])
    numpy.testing.assert_allclose(x1.grad, [[0.5, -0.5]])


@pytest.mark.parametrize('dtype', _FLOATS)
@pytest.mark.parametrize('batches', [(3, 3, 1), (2, 2), (1,)])
def test_argmax_crf1d(dtype, batches):
    numpy.random.seed(1)
    cost = numpy.random.uniform(-1, 1, (_K, _K)).astype(dtype)
    xs = [numpy.random.uniform(-1, 1, (b, _K)).astype(dtype)
          for b in batches]
    score, path = F.argmax_crf1d(cost, xs)
    assert isinstance(score, Variable) and score.shape == (batches[0],)
    assert score.dtype == dtype
    assert [p.shape for p in path] == [(b,) for b in batches]
    assert all(p.dtype == numpy.int32 for p in path)
    seqs, _ = _sequences(xs, [numpy.zeros(b) for b in batches])
    per_sequence, _ = _sequences(
        [p[:, None].astype(float) for p in path], [numpy.zeros(b)
                                                   for b in batches])
    tol = 2e-2 if dtype == numpy.float16 else 1e-5
    for b, seq in enumerate(seqs):
        _, best, best_path = _brute_force(cost.astype(float), seq.astype(
            float), [0] * len(seq))
        assert tuple(int(v) for v in per_sequence[b][:, 0]) == best_path
        numpy.testing.assert_allclose(float(score.array[b]), best, atol=tol,
                                      rtol=tol)


def test_argmax_crf1d_score_gradient():
    numpy.random.seed(2)
    cost = numpy.random.uniform(-1, 1, (_K, _K))
    xs = [numpy.random.uniform(-1, 1, (b, _K)) for b in (2, 2, 1)]
    gy = numpy.random.uniform(-1, 1, 2)

    def score(cost, *xs):
        return F.argmax_crf1d(cost, list(xs))[0]

    gradient_check.check_backward(score, (cost,) + tuple(xs), gy,
                                  eps=1e-6, atol=1e-8, rtol=1e-7)


def test_crf1d_bad_reduce():
    with pytest.raises(ValueError) as info:
        F.crf1d(numpy.zeros((2, 2), numpy.float32),
                [numpy.zeros((1, 2), numpy.float32)],
                [numpy.zeros(1, numpy.int32)], reduce='sum')
    message = str(info.value)
    assert 'crf1d' in message and "'mean'" in message and "'sum'" in message


def _good():
    cost = numpy.zeros((3, 3), numpy.float32)
    xs = [numpy.zeros((2, 3), numpy.float32), numpy.zeros((1, 3),
                                                          numpy.float32)]
    ys = [numpy.zeros(2, numpy.int32), numpy.zeros(1, numpy.int32)]
    return cost, xs, ys


@pytest.mark.parametrize('mutate,expect', [
    (lambda c, xs, ys: (c.astype(numpy.int32), xs, ys), 'cost.dtype'),
    (lambda c, xs, ys: (c[:2], xs, ys), 'cost.shape[0] == cost.shape[1]'),
    (lambda c, xs, ys: (c, [xs[0], xs[1].astype(numpy.float64)], ys),
     'xs[1].dtype == cost.dtype'),
    (lambda c, xs, ys: (c, [xs[0][:, :2], xs[1]], ys),
     'xs[0].shape[1] == cost.shape[0]'),
    (lambda c, xs, ys: (c, [xs[1], xs[0]], [ys[1], ys[0]]),
     'decreasing length'),
    (lambda c, xs, ys: (c, xs, [ys[0].astype(numpy.float32), ys[1]]),
     'ys[0].dtype'),
    (lambda c, xs, ys: (c, xs, [ys[0][:1], ys[1]]),
     'ys[0].shape == (xs[0].shape[0],)'),
])
def test_crf1d_bad_inputs(mutate, expect):
    cost, xs, ys = mutate(*_good())
    with pytest.raises(type_check.InvalidType) as info:
        F.crf1d(cost, xs, ys)
    message = str(info.value)
    assert 'crf1d' in message and expect in message
    assert 'Expect' in message and 'Actual' in message


def test_crf1d_bad_lists_and_labels():
    cost, xs, ys = _good()
    with pytest.raises(ValueError, match='crf1d: xs must be a non-empty'):
        F.crf1d(cost, [], [])
    with pytest.raises(ValueError, match='one label array per element'):
        F.crf1d(cost, xs, ys[:1])
    with pytest.raises(ValueError) as info:
        F.crf1d(cost, xs, [ys[0], numpy.array([3], numpy.int32)])
    assert 'crf1d' in str(info.value) and '0 <= ys[1] < 3' in str(info.value)
    with pytest.raises(type_check.InvalidType, match='argmax_crf1d'):
        F.argmax_crf1d(cost[:2], xs)
