import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _pooled_size(size, k, s, p, cover_all):
    # Number of windows: the last one starts at or before size + 2p - k,
    # or (cover_all) before the last element.
    span = size + 2 * p - k
    return (span + s - 1) // s + 1 if cover_all else span // s + 1


def _deconv_size(d, k, s, p, cover_all):
    return s * (d - 1) + k - 2 * p - (s - 1 if cover_all else 0)


def _upsample_reference(x, indexes, ksize, stride, pad, outsize):
    """Writes x[n, c, oy, ox] at window position indexes[n, c, oy, ox]."""
    kh, kw = ksize
    y = numpy.zeros(x.shape[:2] + tuple(outsize))
    for n, c, oy, ox in numpy.ndindex(*x.shape):
        ky, kx = divmod(int(indexes[n, c, oy, ox]), kw)
        py = oy * stride[0] - pad[0] + ky
        px = ox * stride[1] - pad[1] + kx
        if 0 <= py < outsize[0] and 0 <= px < outsize[1]:
            y[n, c, py, px] += float(x[n, c, oy, ox])
    return y


_TOL = {numpy.float16: {'atol': 5e-3, 'rtol': 5e-3},
        numpy.float32: {'atol': 1e-6, 'rtol': 1e-6},
        numpy.float64: {'atol': 1e-12, 'rtol': 1e-12}}
_GRAD_TOL = {numpy.float16: {'atol': 5e-2, 'rtol': 5e-2},
             numpy.float32: {'atol': 1e-3, 'rtol': 1e-3},
             numpy.float64: {'atol': 1e-6, 'rtol': 1e-6}}


@testing.parameterize(*testing.product({
    'case': [
        # batch, image size, ksize, stride, pad, cover_all, pass outsize
        (2, (6, 7), 2, None, 0, True, False),
        (2, (6, 7), 2, None, 0, True, True),
        (1, (5, 6), 3, 2, 1, True, True),
        (1, (5, 4), (2, 3), (1, 2), (0, 1), False, False),
        (0, (4, 4), 2, 2, 0, True, True),
    ],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestUpsampling2D(testing.FunctionTestCase):

    def setUp(self):
        (batch, self.image, ksize, stride, pad, self.cover_all,
         pass_outsize) = self.case
        self.ksize = _pair(ksize)
        self.stride = self.ksize if stride is None else _pair(stride)
        self.pad = _pair(pad)
        self.args = (ksize, stride, pad)
        pooled = tuple(_pooled_size(n, k, s, p, self.cover_all)
                       for n, k, s, p in zip(self.image, self.ksize,
                                             self.stride, self.pad))
        self.shape = (batch, 3) + pooled
        self.outsize = self.image if pass_outsize else None
        self.indexes = numpy.random.randint(
            0, self.ksize[0] * self.ksize[1], self.shape)
        self.check_forward_options = _TOL[self.dtype]
        self.check_backward_options = _GRAD_TOL[self.dtype]
        self.check_double_backward_options = _GRAD_TOL[self.dtype]

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.upsampling_2d(inputs[0], device.send(self.indexes),
                               *self.args, outsize=self.outsize,
                               cover_all=self.cover_all),

    def forward_expected(self, inputs):
        outsize = self.outsize
        if outsize is None:
            outsize = tuple(
                _deconv_size(d, k, s, p, self.cover_all)
                for d, k, s, p in zip(self.shape[2:], self.ksize,
                                      self.stride, self.pad))
        return _upsample_reference(inputs[0], self.indexes, self.ksize,
                                   self.stride, self.pad,
                                   outsize).astype(self.dtype),


def test_upsampling_2d_chainer_example():
    # The example of Chainer's documentation.
    x = numpy.arange(1, 37, dtype=numpy.float32).reshape(1, 1, 6, 6)
    pooled, indexes = F.max_pooling_2d(x, ksize=2, stride=2,
                                       return_indices=True)
    numpy.testing.assert_array_equal(indexes, numpy.full((1, 1, 3, 3), 3))
    y = F.upsampling_2d(pooled, indexes, ksize=2, stride=2,
                        outsize=x.shape[2:])
    expected = numpy.zeros((6, 6), numpy.float32)
    expected[1::2, 1::2] = x[0, 0, 1::2, 1::2]
    assert y.dtype == numpy.float32
    numpy.testing.assert_array_equal(y.array[0, 0], expected)


@pytest.mark.parametrize('args', [(2, 2, 0), (3, 2, 1), ((3, 2), (2, 1), 0)])
@pytest.mark.parametrize('cover_all', [True, False])
def test_upsampling_2d_puts_maxima_back(args, cover_all):
    # Upsampling with max_pooling_2d's indices puts every window maximum at
    # its place in the image (added once per window that chose it).
    shape = (2, 2, 5, 6)
    x = numpy.random.permutation(numpy.prod(shape)).reshape(shape).astype(
        numpy.float64)
    pooled, indexes = F.max_pooling_2d(x, *args, cover_all=cover_all,
                                       return_indices=True)
    y = F.upsampling_2d(pooled, indexes, *args, outsize=shape[2:],
                        cover_all=cover_all)
    ksize, stride, pad = (_pair(a) for a in args)
    expected = numpy.zeros(shape)
    for n, c, oy, ox in numpy.ndindex(*pooled.shape):
        best = None
        for ky in range(ksize[0]):
            for kx in range(ksize[1]):
                py = oy * stride[0] - pad[0] + ky
                px = ox * stride[1] - pad[1] + kx
                if 0 <= py < shape[2] and 0 <= px < shape[3] and (
                        best is None or x[n, c, py, px] > x[n, c][best]):
                    best = (py, px)
        expected[n, c][best] += x[n, c][best]
    numpy.testing.assert_array_equal(y.array, expected)


def test_upsampling_2d_gradient_gathers():
    indexes = numpy.array([[[[0, 3], [1, 2]]]])
    x = dynet.Variable(numpy.zeros((1, 1, 2, 2)))
    y = F.upsampling_2d(x, indexes, 2, outsize=(4, 4))
    g = numpy.arange(16.).reshape(1, 1, 4, 4)
    y.grad = g
    y.backward()
    numpy.testing.assert_array_equal(x.grad[0, 0], [[0, 7], [9, 14]])


def test_upsampling_2d_errors():
    x = numpy.zeros((1, 1, 3, 3), numpy.float32)
    indexes = numpy.zeros((1, 1, 3, 3), numpy.int64)
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        F.upsampling_2d(x.astype(numpy.int32), indexes, 2)
    with pytest.raises(type_check.InvalidType) as e:
        F.upsampling_2d(x, indexes[:, :, :2], 2)
    assert 'Upsampling2D' in str(e.value)
    assert 'indexes.shape == x.shape' in str(e.value)
    with pytest.raises(type_check.InvalidType, match='integer array'):
        F.upsampling_2d(x, indexes.astype(numpy.float32), 2)
    with pytest.raises(type_check.InvalidType, match=r'indexes in \[0, 4\)'):
        F.upsampling_2d(x, indexes + 4, 2)
    with pytest.raises(type_check.InvalidType, match=r'x.shape\[2:\] == '):
        F.upsampling_2d(x, indexes, 2, outsize=(8, 8))
    with pytest.raises(ValueError, match='upsampling_2d: x must have 4'):
        F.upsampling_2d(x[0], indexes[0], 2)
