import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


@testing.parameterize(*testing.product({
    'x_shape': [(4, 3), (2, 3, 2), (0, 3)],
    'n_batch_axes': [1, 2],
    'nobias': [False, True],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestLinear(testing.FunctionTestCase):

    def setUp(self):
        if self.n_batch_axes == 2 and len(self.x_shape) < 3:
            self.skipTest('needs a second batch axis')
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
            self.check_backward_options = {'atol': 1e-2, 'rtol': 1e-2}
            self.check_double_backward_options = {'atol': 1e-2,
                                                  'rtol': 1e-2}
        else:
            self.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4}
            self.check_double_backward_options = {'atol': 1e-4,
                                                  'rtol': 1e-4}

    def generate_inputs(self):
        n_in = int(numpy.prod(self.x_shape[self.n_batch_axes:]))
        x = numpy.random.uniform(-1, 1, self.x_shape).astype(self.dtype)
        w = numpy.random.uniform(-1, 1, (5, n_in)).astype(self.dtype)
        if self.nobias:
            return x, w
        return x, w, numpy.random.uniform(-1, 1, 5).astype(self.dtype)

    def forward(self, inputs, device):
        return F.linear(*inputs, n_batch_axes=self.n_batch_axes),

    def forward_expected(self, inputs):
        x, w = inputs[:2]
        batch = x.shape[:self.n_batch_axes]
        flat = x.reshape((int(numpy.prod(batch)), w.shape[1])).astype(
            numpy.float64)
        y = numpy.zeros((flat.shape[0], w.shape[0]))
        for n in range(flat.shape[0]):
            for o in range(w.shape[0]):
                y[n, o] = sum(flat[n, i] * float(w[o, i])
                              for i in range(w.shape[1]))
                if not self.nobias:
                    y[n, o] += float(inputs[2][o])
        return y.reshape(batch + (w.shape[0],)).astype(self.dtype),


def _arrays(x_shape=(2, 3), w_shape=(4, 3), b_shape=(4,), dtype='f'):
    return (numpy.zeros(x_shape, dtype), numpy.zeros(w_shape, dtype),
            numpy.zeros(b_shape, dtype))


def test_mismatched_in_size():
    x, w, b = _arrays(w_shape=(4, 5))
    with pytest.raises(type_check.InvalidType,
                       match=r'(?s)LinearFunction.*x.shape\[1\] == '
                             r'W.shape\[1\].*3 != 5'):
        F.linear(x, w, b)


def test_bias_shape_and_dtype():
    x, w, b = _arrays(b_shape=(3,))
    with pytest.raises(type_check.InvalidType, match='b.shape'):
        F.linear(x, w, b)
    x, w, b = _arrays()
    with pytest.raises(type_check.InvalidType, match='float32 != float64'):
        F.linear(x, w.astype(numpy.float64), b)
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        F.linear(x.astype(numpy.int32), w.astype(numpy.int32))


def test_bad_n_batch_axes():
    x, w, b = _arrays()
    with pytest.raises(ValueError, match='n_batch_axes must be positive'):
        F.linear(x, w, b, n_batch_axes=0)
    with pytest.raises(ValueError, match='fewer than n_batch_axes'):
        F.linear(x, w, b, n_batch_axes=3)
