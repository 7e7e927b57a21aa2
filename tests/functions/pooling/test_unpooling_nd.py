import itertools

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet.utils import type_check


def _tuple(v, nd):
    return (v,) * nd if isinstance(v, int) else tuple(v)


def _unpool_reference(x, ksize, stride, pad, outsize):
    """Adds every input element into each position of its window."""
    nd = x.ndim - 2
    y = numpy.zeros(x.shape[:2] + tuple(outsize))
    for index in numpy.ndindex(*x.shape):
        for offs in itertools.product(*[range(k) for k in ksize]):
            pos = tuple(index[2 + a] * stride[a] - pad[a] + offs[a]
                        for a in range(nd))
            if all(0 <= p < n for p, n in zip(pos, outsize)):
                y[index[:2] + pos] += float(x[index])
    return y


def _deconv_size(d, k, s, p, cover_all):
    # The largest image whose pooling gives d windows (cover_all: the last
    # window may overhang by up to s - 1).
    return s * (d - 1) + k - 2 * p - (s - 1 if cover_all else 0)


_TOL = {numpy.float16: {'atol': 5e-3, 'rtol': 5e-3},
        numpy.float32: {'atol': 1e-5, 'rtol': 1e-5},
        numpy.float64: {'atol': 1e-10, 'rtol': 1e-10}}
_GRAD_TOL = {numpy.float16: {'atol': 5e-2, 'rtol': 5e-2},
             numpy.float32: {'atol': 1e-3, 'rtol': 1e-3},
             numpy.float64: {'atol': 1e-6, 'rtol': 1e-6}}


@testing.parameterize(*testing.product({
    'case': [
        # shape, ksize, stride, pad, outsize, cover_all
        ((2, 3, 3, 4), 2, None, 0, None, True),
        ((2, 3, 3, 4), 2, 2, 0, None, False),
        ((1, 2, 4), 3, 2, 1, None, True),
        ((1, 1, 2, 3, 2), 2, 1, 0, None, False),
        ((2, 2, 3, 3), (2, 3), (1, 2), (1, 0), (2, 8), False),
        ((1, 2, 3, 2), 3, 2, 1, (5, 3), True),
        ((0, 2, 3, 3), 2, 2, 0, None, True),
    ],
    'dtype': [numpy.float16, numpy.float32, numpy.float64],
}))
@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestUnpoolingND(testing.FunctionTestCase):

    def setUp(self):
        (self.shape, self.ksize, self.stride, self.pad, self.outsize,
         self.cover_all) = self.case
        self.check_forward_options = _TOL[self.dtype]
        self.check_backward_options = _GRAD_TOL[self.dtype]
        self.check_double_backward_options = _GRAD_TOL[self.dtype]

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.unpooling_nd(inputs[0], self.ksize, self.stride, self.pad,
                              self.outsize, self.cover_all),

    def forward_expected(self, inputs):
        x = inputs[0]
        nd = x.ndim - 2
        k = _tuple(self.ksize, nd)
        s = k if self.stride is None else _tuple(self.stride, nd)
        p = _tuple(self.pad, nd)
        out = self.outsize
        if out is None:
            out = tuple(_deconv_size(d, kk, ss, pp, self.cover_all)
                        for d, kk, ss, pp in zip(x.shape[2:], k, s, p))
        return _unpool_reference(x, k, s, p, out).astype(self.dtype),


@pytest.mark.parametrize('func,nd', [(F.unpooling_1d, 1), (F.unpooling_2d, 2),
                                     (F.unpooling_3d, 3)])
def test_unpooling_wrappers(func, nd):
    x = numpy.random.uniform(-1, 1, (2, 1) + (3,) * nd).astype(numpy.float32)
    y = func(x, 2, cover_all=False)
    assert y.shape == (2, 1) + (6,) * nd
    expected = x
    for axis in range(2, 2 + nd):
        expected = expected.repeat(2, axis=axis)
    numpy.testing.assert_array_equal(y.array, expected)
    with pytest.raises(ValueError, match='{}: x must have {} axes'.format(
            func.__name__, nd + 2)):
        func(x[..., 0] if nd > 1 else x[:, :, :, None], 2)


def test_unpooling_2d_default_cover_all_overlaps():
    # With cover_all=True the windows of a (2, 2) input overlap by one row
    # and column in a (3, 3) output; nothing is added twice because stride
    # equals ksize: the last row/column is simply cut off.
    x = numpy.arange(4, dtype=numpy.float32).reshape(1, 1, 2, 2)
    y = F.unpooling_2d(x, 2)
    numpy.testing.assert_array_equal(
        y.array[0, 0], [[0, 0, 1], [0, 0, 1], [2, 2, 3]])


def test_unpooling_gradient_is_the_adjoint():
    # <unpool(u), g> == <u, grad>, for any u: the gradient is the adjoint.
    x = dynet.Variable(numpy.random.uniform(-1, 1, (1, 2, 3, 4)))
    y = F.unpooling_2d(x, 3, 2, 1, cover_all=True)
    g = numpy.random.uniform(-1, 1, y.shape)
    y.grad = g
    y.backward()
    u = numpy.random.uniform(-1, 1, x.shape)
    lhs = (F.unpooling_2d(u, 3, 2, 1, cover_all=True).array * g).sum()
    numpy.testing.assert_allclose(lhs, (u * x.grad).sum())


def test_pooling_empty_batch():
    # Regression: _Pooling.windows could not reshape an empty batch.
    x = numpy.zeros((0, 2, 4, 4), numpy.float32)
    assert F.max_pooling_2d(x, 2).shape == (0, 2, 2, 2)
    assert F.average_pooling_2d(x, 2).shape == (0, 2, 2, 2)
    v = dynet.Variable(x)
    y = F.max_pooling_2d(v, 3, 2, 1)
    y.grad = numpy.zeros(y.shape, numpy.float32)
    y.backward()
    assert v.grad.shape == x.shape


def test_unpooling_errors():
    x = numpy.zeros((1, 1, 3, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType, match='dtype.kind == f'):
        F.unpooling_2d(x.astype(numpy.int32), 2)
    with pytest.raises(type_check.InvalidType) as e:
        F.unpooling_2d(x, 2, outsize=(8, 6))
    assert 'Unpooling2D' in str(e.value)
    assert 'x.shape[2:] == (4, 3)' in str(e.value)
    assert '(3, 3)' in str(e.value)
    with pytest.raises(type_check.InvalidType, match='non-empty output'):
        F.unpooling_2d(x[:, :, :1, :1], 1, pad=1, cover_all=False)
    with pytest.raises(ValueError, match='ksize and stride must be positive'):
        F.unpooling_2d(x, 0)
    with pytest.raises(ValueError, match='outsize'):
        F.unpooling_2d(x, 2, outsize=(6, 6, 6))
