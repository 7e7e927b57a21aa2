"""Tests of F.embed_id."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]


@testing.parameterize(*testing.product({
    'x_data': [[0, 1, 0], [[1, 0, 2], [3, 3, 1]], [[-1, 2], [2, -1]], []],
    'ignore_label': [None, -1, 2],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestEmbedID(testing.FunctionTestCase):

    def setUp(self):
        if -1 in numpy.ravel(self.x_data) and self.ignore_label != -1:
            # -1 is only a valid id when it is ignored.
            self.x_data = numpy.where(numpy.asarray(self.x_data) == -1, 0,
                                      self.x_data).tolist()
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-2, 'rtol': 1e-2}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        x = numpy.array(self.x_data, dtype=numpy.int32).reshape(
            numpy.shape(self.x_data))
        W = numpy.random.uniform(-1, 1, (4, 3)).astype(self.dtype)
        return x, W

    def forward(self, inputs, device):
        x, W = inputs
        return F.embed_id(x, W, ignore_label=self.ignore_label),

    def forward_expected(self, inputs):
        x, W = inputs
        y = numpy.zeros(x.shape + (3,), self.dtype)
        for index in numpy.ndindex(*x.shape):
            if x[index] != self.ignore_label:
                y[index] = W[x[index]]
        return y,


def test_ignored_ids_get_no_gradient_and_repeats_add():
    W = Variable(numpy.arange(12, dtype=numpy.float32).reshape(4, 3))
    x = numpy.array([[1, 1], [-1, 3]], numpy.int64)
    y = F.embed_id(x, W, ignore_label=-1)
    numpy.testing.assert_array_equal(y.array[1, 0], 0)
    gy = numpy.arange(12, dtype=numpy.float32).reshape(2, 2, 3)
    y.grad = gy
    y.backward()
    expected = numpy.zeros((4, 3), numpy.float32)
    expected[1] = gy[0, 0] + gy[0, 1]
    expected[3] = gy[1, 1]
    numpy.testing.assert_array_equal(W.grad, expected)


def test_x_gets_no_gradient():
    x = Variable(numpy.array([0, 1], numpy.int32))
    W = Variable(numpy.ones((2, 2), numpy.float32))
    F.sum(F.embed_id(x, W)).backward()
    assert x.grad is None


def test_out_of_range_ids():
    W = numpy.zeros((3, 2), numpy.float32)
    for bad in ([0, 3], [-1, 0]):
        with pytest.raises(ValueError,
                           match=r'EmbedIDFunction.*0 <= x < len\(W\) == 3'):
            F.embed_id(numpy.array(bad, numpy.int32), W)
    with pytest.raises(ValueError, match='ignore_label'):
        F.embed_id(numpy.array([-2], numpy.int32), W, ignore_label=-1)


def test_bad_types():
    W = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)EmbedIDFunction.*signed integer.*'
                             r'float32'):
        F.embed_id(numpy.array([0.0], numpy.float32), W)
    with pytest.raises(type_check.InvalidType, match='x.ndim >= 1'):
        F.embed_id(numpy.array(0, numpy.int32), W)
    with pytest.raises(type_check.InvalidType, match='W.ndim == 2'):
        F.embed_id(numpy.array([0], numpy.int32), W.ravel())
    with pytest.raises(type_check.InvalidType,
                       match=r'W.dtype.kind == f'):
        F.embed_id(numpy.array([0], numpy.int32), W.astype(numpy.int32))


def test_no_range_check_without_type_check():
    W = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
    with dynet.using_config('type_check', False):
        y = F.embed_id(numpy.array([2], numpy.int32), W)
    numpy.testing.assert_array_equal(y.array, [[4, 5]])
