"""Tests of F.black_out."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _reference(x, t, W, samples, reduce):
    x, W = x.astype(numpy.float64), W.astype(numpy.float64)
    loss = numpy.zeros(len(t))
    for i in range(len(t)):
        candidates = [int(t[i])] + [int(s) for s in samples[i]]
        scores = numpy.array([W[j].dot(x[i]) for j in candidates])
        p = numpy.exp(scores) / numpy.exp(scores).sum()
        loss[i] = -numpy.log(p[0]) - numpy.log(1 - p[1:]).sum()
    return numpy.asarray(loss.mean()) if reduce == 'mean' else loss


@testing.parameterize(*testing.product({
    'shape': [(3, 2, 5, 4), (1, 3, 2, 1)],   # (N, D, V, S)
    'reduce': ['mean', 'no'],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestBlackOut(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-2, 'rtol': 2e-2}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
            self.check_double_backward_options = {'atol': 1e-1,
                                                  'rtol': 1e-1}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
            self.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4}
            self.check_double_backward_options = {'atol': 1e-3,
                                                  'rtol': 1e-3}
        else:
            self.check_forward_options = {'atol': 1e-10, 'rtol': 1e-10}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                           'rtol': 1e-7}
            self.check_double_backward_options = {'eps': 1e-5, 'atol': 1e-7,
                                                  'rtol': 1e-6}

    def generate_inputs(self):
        n, d, v, s = self.shape
        x = numpy.random.uniform(-1, 1, (n, d)).astype(self.dtype)
        t = numpy.random.randint(0, v, n).astype(numpy.int32)
        W = numpy.random.uniform(-1, 1, (v, d)).astype(self.dtype)
        samples = numpy.random.randint(0, v, (n, s)).astype(numpy.int32)
        return x, t, W, samples

    def forward(self, inputs, device):
        return F.black_out(*inputs, reduce=self.reduce),

    def forward_expected(self, inputs):
        return _reference(*inputs, reduce=self.reduce).astype(self.dtype),


def test_black_out_values_and_samples_variable():
    # One example, all scores 0: p = 1/3 for the label and two samples.
    x = Variable(numpy.zeros((1, 2)))
    W = Variable(numpy.ones((3, 2)))
    samples = Variable(numpy.array([[1, 2]], numpy.int32),
                       requires_grad=False)
    loss = F.black_out(x, numpy.array([0], numpy.int32), W, samples)
    expected = -numpy.log(1 / 3) - 2 * numpy.log(2 / 3)
    numpy.testing.assert_allclose(float(loss.array), expected)
    loss.backward()
    assert x.grad.shape == (1, 2) and W.grad.shape == (3, 2)


def _args():
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.zeros(2, numpy.int32)
    W = numpy.zeros((4, 3), numpy.float32)
    samples = numpy.zeros((2, 5), numpy.int32)
    return x, t, W, samples


@pytest.mark.parametrize('mutate,expect', [
    (lambda x, t, W, s: (x.astype(numpy.int32), t, W, s), 'x.dtype'),
    (lambda x, t, W, s: (x, t.astype(numpy.float32), W, s), 't.dtype'),
    (lambda x, t, W, s: (x, t, W.astype(numpy.float64), s),
     'W.dtype == x.dtype'),
    (lambda x, t, W, s: (x, t, W[:, :2], s), 'W.shape[1] == x.shape[1]'),
    (lambda x, t, W, s: (x, t[:1], W, s), 't.shape[0] == x.shape[0]'),
    (lambda x, t, W, s: (x, t, W, s[:1]), 'samples.shape[0] == x.shape[0]'),
    (lambda x, t, W, s: (x, t, W, s[0]), 'samples.ndim == 2'),
    (lambda x, t, W, s: (x, t, W, s.astype(numpy.float32)),
     'samples.dtype'),
])
def test_bad_inputs(mutate, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.black_out(*mutate(*_args()))
    message = str(info.value)
    assert 'black_out' in message and expect in message
    assert 'Expect' in message and 'Actual' in message


def test_bad_reduce_and_ids():
    x, t, W, samples = _args()
    with pytest.raises(ValueError, match="black_out: reduce must be one of "
                       "'mean', 'no', but 'sum' is given"):
        F.black_out(x, t, W, samples, reduce='sum')
    with pytest.raises(ValueError, match=r'0 <= t < 4'):
        F.black_out(x, numpy.array([0, -1], numpy.int32), W, samples)
    samples[1, 3] = 4
    with pytest.raises(ValueError, match=r'samples\[1, 3\] == 4'):
        F.black_out(x, t, W, samples)
