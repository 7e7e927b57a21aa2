"""Tests of F.negative_sampling."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check
from dynet.utils.walker_alias import WalkerAlias

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


class _FixedSampler:
    """Returns a copy of preset ids and records the shapes asked for."""

    def __init__(self, ids):
        self.ids = ids
        self.shapes = []

    def __call__(self, shape):
        self.shapes.append(shape)
        assert shape == self.ids.shape
        return self.ids.copy()


def _reference(x, t, W, samples, reduce):
    x, W = x.astype(numpy.float64), W.astype(numpy.float64)
    loss = numpy.zeros(len(t))
    for i, label in enumerate(t):
        if label == -1:
            continue
        ids = [label] + [int(s) for s in samples[i, 1:]]
        for k, j in enumerate(ids):
            sign = 1.0 if k == 0 else -1.0
            # -log sigmoid(sign * x.w)
            loss[i] += numpy.log1p(numpy.exp(-sign * x[i].dot(W[j])))
    return numpy.asarray(loss.sum()) if reduce == 'sum' else loss


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-2, 'rtol': 1e-2}
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
    't': [[0, 2, 1], [3, -1, 0]],
    'sample_size': [2, 0],
    'reduce': ['sum', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestNegativeSampling(testing.FunctionTestCase):

    vocab = 4
    in_size = 3

    def setUp(self):
        _tolerances(self, self.dtype)
        batch = len(self.t)
        self.ids = numpy.random.randint(
            0, self.vocab, (batch, self.sample_size + 1)).astype(numpy.int32)

    def generate_inputs(self):
        batch = len(self.t)
        x = numpy.random.uniform(-1, 1, (batch, self.in_size))
        W = numpy.random.uniform(-1, 1, (self.vocab, self.in_size))
        return (x.astype(self.dtype), numpy.array(self.t, numpy.int32),
                W.astype(self.dtype))

    def forward(self, inputs, device):
        x, t, W = inputs
        sampler = _FixedSampler(device.send(self.ids))
        return F.negative_sampling(x, t, W, sampler, self.sample_size,
                                   reduce=self.reduce),

    def forward_expected(self, inputs):
        x, t, W = inputs
        return _reference(x, t, W, self.ids, self.reduce).astype(
            self.dtype),


def test_sampler_call_and_returned_samples():
    numpy.random.seed(0)
    x = numpy.random.uniform(-1, 1, (3, 2)).astype(numpy.float32)
    W = numpy.random.uniform(-1, 1, (5, 2)).astype(numpy.float32)
    t = numpy.array([4, -1, 0], numpy.int32)
    ids = numpy.array([[1, 2, 3], [0, 0, 1], [4, 4, 2]], numpy.int32)
    sampler = _FixedSampler(ids)
    loss, samples = F.negative_sampling(x, t, W, sampler, 2,
                                        return_samples=True)
    assert sampler.shapes == [(3, 3)]
    numpy.testing.assert_array_equal(samples[:, 0], t)
    numpy.testing.assert_array_equal(samples[:, 1:], ids[:, 1:])
    numpy.testing.assert_allclose(
        float(loss.array), float(_reference(x, t, W, samples, 'sum')),
        rtol=1e-6)


def test_with_walker_alias_sampler():
    numpy.random.seed(1)
    sampler = WalkerAlias([1, 2, 3, 4])
    x = Variable(numpy.random.uniform(-1, 1, (4, 3)))
    W = Variable(numpy.random.uniform(-1, 1, (4, 3)))
    t = numpy.array([0, 1, 2, 3], numpy.int32)
    loss, samples = F.negative_sampling(x, t, W, sampler.sample, 5,
                                        reduce='no', return_samples=True)
    assert loss.shape == (4,) and samples.shape == (4, 6)
    assert samples.dtype == numpy.int32
    numpy.testing.assert_allclose(loss.array,
                                  _reference(x.array, t, W.array, samples,
                                             'no'))
    F.sum(loss).backward()
    assert x.grad.shape == (4, 3) and W.grad.shape == (4, 3)


def test_ignored_rows_get_no_gradient():
    x = Variable(numpy.ones((2, 2)))
    W = Variable(numpy.ones((3, 2)))
    t = numpy.array([-1, 1], numpy.int32)
    ids = numpy.array([[0, 2], [0, 0]], numpy.int32)
    loss = F.negative_sampling(x, t, W, _FixedSampler(ids), 1, reduce='no')
    assert float(loss.array[0]) == 0
    F.sum(loss).backward()
    numpy.testing.assert_array_equal(x.grad[0], [0, 0])
    numpy.testing.assert_array_equal(W.grad[2], [0, 0])  # ignored row's id


def _args():
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.zeros(2, numpy.int32)
    W = numpy.zeros((4, 3), numpy.float32)
    return x, t, W


def _sampler(shape):
    return numpy.zeros(shape, numpy.int32)


@pytest.mark.parametrize('mutate,expect', [
    (lambda x, t, W: (x.astype(numpy.int32), t, W), 'x.dtype'),
    (lambda x, t, W: (x[None], t, W), 'x.ndim == 2'),
    (lambda x, t, W: (x, t.astype(numpy.float32), W), 't.dtype'),
    (lambda x, t, W: (x, t[:1], W), 'x.shape[0] == t.shape[0]'),
    (lambda x, t, W: (x, t, W.astype(numpy.float64)), 'W.dtype == x.dtype'),
    (lambda x, t, W: (x, t, W[:, :2]), 'W.shape[1] == x.shape[1]'),
])
def test_bad_inputs(mutate, expect):
    x, t, W = mutate(*_args())
    with pytest.raises(type_check.InvalidType) as info:
        F.negative_sampling(x, t, W, _sampler, 2)
    message = str(info.value)
    assert 'negative_sampling' in message and expect in message
    assert 'Expect' in message and 'Actual' in message


def test_bad_arguments():
    x, t, W = _args()
    with pytest.raises(ValueError, match="negative_sampling: reduce must be "
                       "one of 'sum', 'no', but 'mean' is given"):
        F.negative_sampling(x, t, W, _sampler, 2, reduce='mean')
    with pytest.raises(ValueError, match='sample_size must be a non-negative'):
        F.negative_sampling(x, t, W, _sampler, -1)
    with pytest.raises(ValueError, match=r'0 <= t < 4 or t == -1'):
        F.negative_sampling(x, numpy.array([0, 4], numpy.int32), W,
                            _sampler, 2)
    with pytest.raises(ValueError, match=r'sampler\(2, 3\) must return an '
                       r'integer array of that shape, got int32 array of '
                       r'shape \(2, 2\)'):
        F.negative_sampling(x, t, W, lambda shape: numpy.zeros(
            (2, 2), numpy.int32), 2)
    with pytest.raises(ValueError, match=r'outside \[0, 4\)'):
        F.negative_sampling(x, t, W, lambda shape: numpy.full(
            shape, 7, numpy.int32), 2)
