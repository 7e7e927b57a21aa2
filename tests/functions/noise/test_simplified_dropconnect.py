"""Tests of F.simplified_dropconnect."""
import contextlib

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-6}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-5,
                                       'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-13, 'rtol': 1e-13}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


@contextlib.contextmanager
def _seeded(seed):
    state = numpy.random.get_state()
    numpy.random.seed(seed)
    try:
        yield
    finally:
        numpy.random.set_state(state)


def _reference(x, W, b, mask, scale, batchwise):
    """y[i, j] = sum_k W[j, k] * mask * scale * x[i, k] + b[j], by loops."""
    n = x.shape[0]
    x2 = x.reshape(n, W.shape[1]).astype(numpy.float64)
    M, N = W.shape
    y = numpy.zeros((n, M))
    for i in range(n):
        for j in range(M):
            total = 0.0 if b is None else float(b[j])
            for k in range(N):
                m = mask[i, j, k] if batchwise else mask[j, k]
                total += float(W[j, k]) * float(m) * scale * x2[i, k]
            y[i, j] = total
    return y


@testing.parameterize(*testing.product({
    'x_shape': [(3, 4), (2, 2, 2), (0, 4)],
    'batchwise': [True, False],
    'bias': [True, False],
    'ratio': [0.5, 0.2],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestSimplifiedDropconnectGivenMask(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.w_shape = (5, 4)
        mask_shape = ((self.x_shape[0],) + self.w_shape if self.batchwise
                      else self.w_shape)
        self.mask = numpy.random.uniform(0, 1, mask_shape) >= self.ratio

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.x_shape).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, self.w_shape).astype(self.dtype)
        if not self.bias:
            return x, W
        b = numpy.random.uniform(-1, 1, self.w_shape[0]).astype(self.dtype)
        return x, W, b

    def forward(self, inputs, device):
        mask = device.send(self.mask)
        x, W = inputs[:2]
        b = inputs[2] if self.bias else None
        return F.simplified_dropconnect(
            x, W, b, ratio=self.ratio, mask=mask,
            use_batchwise_mask=self.batchwise),

    def forward_expected(self, inputs):
        x, W = inputs[:2]
        b = inputs[2] if self.bias else None
        return _reference(x, W, b, self.mask, 1 / (1 - self.ratio),
                          self.batchwise).astype(self.dtype),


@testing.parameterize(*testing.product({
    'batchwise': [True, False],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, [{}])
class TestSimplifiedDropconnectRandomMask(function_link.FunctionTestCase):
    """The mask from NumPy's global generator (reseeded in forward);
    NumPy only, since the expected mask replays NumPy's stream as Chainer
    draws it (``rand(*mask_shape) >= ratio``)."""

    seed = 9
    ratio = 0.4

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, (3, 4)).astype(self.dtype)
        W = numpy.random.uniform(-1, 1, (2, 4)).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, (2,)).astype(self.dtype)
        return x, W, b

    def forward(self, inputs, device):
        with _seeded(self.seed):
            return F.simplified_dropconnect(
                *inputs, ratio=self.ratio,
                use_batchwise_mask=self.batchwise),

    def forward_expected(self, inputs):
        shape = (3, 2, 4) if self.batchwise else (2, 4)
        with _seeded(self.seed):
            mask = numpy.random.rand(*shape) >= self.ratio
        return _reference(*inputs, mask, 1 / (1 - self.ratio),
                          self.batchwise).astype(self.dtype),


@testing.fix_random()
def test_simplified_dropconnect_mask_statistics():
    # With x = 1 and W = 1, y[i, j] = (kept weights in row j) / (1 - r).
    n, M, N, ratio = 50, 40, 30, 0.3
    y = F.simplified_dropconnect(numpy.ones((n, N)), numpy.ones((M, N)),
                                 ratio=ratio).array
    kept = y * (1 - ratio)
    numpy.testing.assert_allclose(kept, numpy.round(kept), atol=1e-9)
    fraction = kept.sum() / (n * M * N)
    assert abs(fraction - (1 - ratio)) < 4 * numpy.sqrt(
        ratio * (1 - ratio) / (n * M * N))
    # A batchwise mask differs between examples.
    assert not (kept == kept[0]).all()


def test_simplified_dropconnect_test_mode_is_linear():
    x = numpy.random.uniform(-1, 1, (3, 4))
    W = numpy.random.uniform(-1, 1, (2, 4))
    b = numpy.random.uniform(-1, 1, 2)
    y = F.simplified_dropconnect(x, W, b, ratio=0.9, train=False)
    numpy.testing.assert_allclose(y.array, x.dot(W.T) + b, rtol=1e-13)
    # A given mask is applied unscaled (the ratio is 0), as in Chainer.
    mask = numpy.ones((3, 2, 4))
    mask[0, 0, 0] = 0
    y = F.simplified_dropconnect(x, W, b, ratio=0.5, train=False, mask=mask)
    expected = x.dot(W.T) + b
    expected[0, 0] -= W[0, 0] * x[0, 0]
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-13)


@pytest.mark.parametrize('x_shape,w_shape,b_shape,expect', [
    ((2, 5), (3, 4), None, 'prod(x.shape[1:]) == W.shape[1]'),
    ((5,), (3, 5), None, 'x.ndim >= 2'),
    ((2, 4), (3, 4), (4,), 'b.shape[0] == W.shape[0]'),
    ((2, 4), (3, 4, 1), None, 'W.ndim == 2'),
])
def test_simplified_dropconnect_bad_shapes(x_shape, w_shape, b_shape,
                                           expect):
    args = [Variable(numpy.zeros(x_shape, numpy.float32)),
            Variable(numpy.zeros(w_shape, numpy.float32))]
    if b_shape is not None:
        args.append(Variable(numpy.zeros(b_shape, numpy.float32)))
    with pytest.raises(type_check.InvalidType) as info:
        F.simplified_dropconnect(*args)
    message = str(info.value)
    assert 'SimplifiedDropconnect' in message and expect in message


def test_simplified_dropconnect_mask_of_wrong_shape():
    with pytest.raises(type_check.InvalidType) as info:
        F.simplified_dropconnect(numpy.zeros((2, 4)), numpy.zeros((3, 4)),
                                 mask=numpy.ones((3, 4)))
    assert 'mask.shape == (2, 3, 4)' in str(info.value)


@pytest.mark.parametrize('ratio', [-0.5, 1.0])
def test_simplified_dropconnect_ratio_out_of_range(ratio):
    with pytest.raises(ValueError, match='simplified_dropconnect'):
        F.simplified_dropconnect(numpy.zeros((2, 4)), numpy.zeros((3, 4)),
                                 ratio=ratio)
