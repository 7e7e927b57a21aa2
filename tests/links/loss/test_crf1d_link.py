"""Tests of the CRF1d link."""
import itertools

import numpy
import pytest

import dynet.functions as F
from dynet import initializers
from dynet import testing
from dynet.links.loss import CRF1d


def _nll_and_best(cost, x, y):
    """Brute force over all label paths of one sequence (L, K)."""
    paths = list(itertools.product(range(cost.shape[0]), repeat=len(x)))

    def score(path):
        return (sum(x[i, k] for i, k in enumerate(path)) +
                sum(cost[a, b] for a, b in zip(path[:-1], path[1:])))

    scores = numpy.array([score(p) for p in paths])
    log_z = numpy.log(numpy.exp(scores).sum())
    best = int(numpy.argmax(scores))
    return log_z - score(y), scores[best], paths[best]


class TestCRF1dLink(testing.LinkTestCase):

    param_names = ('cost',)
    check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
    check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}

    def generate_params(self):
        return numpy.random.uniform(-1, 1, (3, 3)).astype(numpy.float32),

    def create_link(self, initializers):
        return CRF1d(3, initial_cost=initializers[0])

    def generate_inputs(self):
        xs = tuple(numpy.random.uniform(-1, 1, (b, 3)).astype(numpy.float32)
                   for b in (2, 2, 1))
        ys = tuple(numpy.random.randint(0, 3, b).astype(numpy.int32)
                   for b in (2, 2, 1))
        return xs + ys

    def forward(self, link, inputs, device):
        return link(list(inputs[:3]), [y.array for y in inputs[3:]],
                    reduce='no'),

    def forward_expected(self, link, inputs):
        cost = link.cost.array.astype(numpy.float64)
        xs = [x.astype(numpy.float64) for x in inputs[:3]]
        ys = inputs[3:]
        seq0 = numpy.stack([xs[0][0], xs[1][0], xs[2][0]])
        seq1 = numpy.stack([xs[0][1], xs[1][1]])
        loss = [_nll_and_best(cost, seq0, [ys[0][0], ys[1][0], ys[2][0]])[0],
                _nll_and_best(cost, seq1, [ys[0][1], ys[1][1]])[0]]
        return numpy.array(loss, numpy.float32),


def test_default_cost_is_zero_and_initializer_is_used():
    link = CRF1d(4)
    assert link.cost.shape == (4, 4) and link.cost.dtype == numpy.float32
    numpy.testing.assert_array_equal(link.cost.array, 0)
    assert [name for name, _ in link.namedparams()] == ['/cost']
    link = CRF1d(2, initial_cost=initializers.Constant(0.5))
    numpy.testing.assert_array_equal(link.cost.array, 0.5)
    assert link.transpose is False


def _batch_major(seed=0):
    numpy.random.seed(seed)
    lengths = (2, 4, 1, 3)
    xs = [numpy.random.uniform(-1, 1, (n, 3)).astype(numpy.float32)
          for n in lengths]
    ys = [numpy.random.randint(0, 3, n).astype(numpy.int32) for n in lengths]
    return xs, ys


def test_transpose_sorts_and_transposes():
    xs, ys = _batch_major()
    link = CRF1d(3, initial_cost=initializers.Uniform(1), transpose=True)
    cost = link.cost.array.astype(numpy.float64)
    loss = link(xs, ys, reduce='no')
    # As in Chainer, the losses come in decreasing-length order.
    order = [1, 3, 0, 2]
    expected = [_nll_and_best(cost, xs[i].astype(float), ys[i])[0]
                for i in order]
    numpy.testing.assert_allclose(loss.array, expected, rtol=1e-5)
    numpy.testing.assert_allclose(float(link(xs, ys).array),
                                  numpy.mean(expected), rtol=1e-5)
    # The per-call flag overrides the link's.
    time_major = list(F.transpose_sequence([xs[i] for i in order]))
    labels = [y.array for y in F.transpose_sequence([ys[i] for i in order])]
    plain = CRF1d(3, initial_cost=link.cost.array.copy())
    numpy.testing.assert_allclose(
        plain(xs, ys, reduce='no', transpose=True).array, loss.array)
    numpy.testing.assert_allclose(
        link(time_major, labels, reduce='no', transpose=False).array,
        loss.array)


def test_argmax_with_and_without_transpose():
    xs, ys = _batch_major(1)
    link = CRF1d(3, initial_cost=initializers.Uniform(1))
    cost = link.cost.array.astype(numpy.float64)
    score, path = link.argmax(xs, transpose=True)
    order = [1, 3, 0, 2]
    assert [p.shape for p in path] == [(2,), (4,), (1,), (3,)]
    for i, x in enumerate(xs):
        _, best, best_path = _nll_and_best(cost, x.astype(float), ys[i])
        assert tuple(path[i].tolist()) == best_path
        numpy.testing.assert_allclose(
            float(score.array[order.index(i)]), best, rtol=1e-5)
    time_major = list(F.transpose_sequence([xs[i] for i in order]))
    score2, path2 = link.argmax(time_major)
    numpy.testing.assert_array_equal(score2.array, score.array)
    assert len(path2) == 4 and path2[0].shape == (4,)


def test_serialization_round_trip_and_device():
    src = CRF1d(3, initial_cost=initializers.Uniform(1))
    dst = CRF1d(3)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.cost.array, src.cost.array)
    assert dst.to_cpu() is dst and dst.to_device('@numpy') is dst
    xs, ys = _batch_major()
    dst(xs, ys, transpose=True).backward()
    assert dst.cost.grad.shape == (3, 3)


def test_bad_labels_are_reported():
    link = CRF1d(2)
    with pytest.raises(ValueError, match='crf1d'):
        link([numpy.zeros((1, 2), numpy.float32)],
             [numpy.array([2], numpy.int32)])
