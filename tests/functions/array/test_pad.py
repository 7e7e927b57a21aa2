"""Tests of F.pad."""
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


def _pairs(pad_width, ndim):
    return numpy.broadcast_to(numpy.asarray(pad_width), (ndim, 2))


def _source(mode, p, n):
    """Index of the input element copied to padded position ``p`` (already
    shifted so that 0 is the first input element); None for the constant
    fill."""
    if 0 <= p < n:
        return p
    if mode == 'constant':
        return None
    if mode == 'edge':
        return min(max(p, 0), n - 1)
    if mode == 'wrap':
        return p % n
    if mode == 'reflect':  # mirror without repeating the edge
        if n == 1:
            return 0
        p %= 2 * (n - 1)
        return p if p < n else 2 * (n - 1) - p
    if mode == 'symmetric':  # mirror repeating the edge
        p %= 2 * n
        return p if p < n else 2 * n - 1 - p
    raise ValueError(mode)


def _reference_pad(x, pad_width, mode, constant_values=0):
    pairs = _pairs(pad_width, x.ndim)
    values = numpy.broadcast_to(numpy.asarray(constant_values), (x.ndim, 2))
    shape = tuple(n + b + a for n, (b, a) in zip(x.shape, pairs))
    y = numpy.empty(shape, x.dtype)
    for index in numpy.ndindex(*shape):
        source = []
        fill = None
        for axis, (i, n, (b, _)) in enumerate(zip(index, x.shape, pairs)):
            s = _source(mode, i - b, n)
            if s is None:
                # NumPy pads axis by axis: the last axis wins at corners.
                fill = values[axis][0 if i < b else 1]
                s = 0
            source.append(s)
        y[index] = fill if fill is not None else x[tuple(source)]
    return y


@testing.parameterize(*testing.product({
    'case': [
        ((3, 2), ((1, 2), (0, 1)), 'constant', {}),
        ((3, 2), 1, 'constant', {'constant_values': 1.5}),
        ((3, 2), (2, 1), 'constant',
         {'constant_values': ((-1, -2), (3, 4))}),
        ((0, 2), ((1, 0), (1, 1)), 'constant', {}),
        ((2, 3, 2), ((0, 0), (2, 0), (0, 1)), 'constant', {}),
        ((), 0, 'constant', {}),
        ((3, 2), ((1, 2), (0, 3)), 'edge', {}),
        ((4,), ((5, 2),), 'reflect', {}),
        ((3, 2), ((2, 1), (1, 3)), 'reflect', {}),
        ((3, 1), 2, 'reflect', {}),
        ((3, 2), ((4, 1), (1, 2)), 'symmetric', {}),
        ((3, 2), ((2, 5), (1, 1)), 'wrap', {}),
        ((3,), 0, 'wrap', {}),
    ],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestPad(function_link.FunctionTestCase):

    def setUp(self):
        self.shape, self.pad_width, self.mode, self.keywords = self.case
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 2e-3, 'rtol': 2e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        return F.pad(inputs[0], self.pad_width, self.mode, **self.keywords),

    def forward_expected(self, inputs):
        return _reference_pad(inputs[0], self.pad_width, self.mode,
                              **self.keywords).astype(self.dtype),


def test_pad_gradient_of_copied_elements_is_summed():
    x = Variable(numpy.zeros(3))
    y = F.pad(x, (2, 1), 'edge')  # [x0, x0, x0, x1, x2, x2]
    y.grad = numpy.arange(1.0, 7.0)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [1 + 2 + 3, 4, 5 + 6])


def test_pad_constant_gradient_ignores_the_padding():
    x = Variable(numpy.zeros(2))
    y = F.pad(x, 1, 'constant', constant_values=7)
    numpy.testing.assert_array_equal(y.array, [7, 0, 0, 7])
    y.grad = numpy.arange(1.0, 5.0)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [2, 3])


@pytest.mark.parametrize('mode', ['mean', 'linear_ramp', 'maximum',
                                  'median', 'minimum', 'empty', 'bogus'])
def test_pad_unsupported_modes(mode):
    with pytest.raises(ValueError) as info:
        F.pad(numpy.zeros(3, numpy.float32), 1, mode)
    message = str(info.value)
    assert 'Pad' in message and repr(mode) in message
    assert 'constant' in message and 'symmetric' in message


def test_pad_odd_reflection_is_unsupported():
    with pytest.raises(ValueError, match="Pad.*reflect_type 'odd'"):
        F.pad(numpy.zeros(3, numpy.float32), 1, 'reflect',
              reflect_type='odd')


def test_pad_bad_widths():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='Pad.*non-negative'):
        F.pad(x, -1, 'constant')
    with pytest.raises(ValueError, match='Pad.*pairs for 2 axes'):
        F.pad(x, (1, 2, 3), 'constant')
    with pytest.raises(TypeError, match='Pad.*pad_width'):
        F.pad(x, 'a', 'constant')
    with pytest.raises(TypeError, match='Pad.*pad_width'):
        F.pad(x, 1.0, 'constant')


def test_pad_integer_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.pad(numpy.zeros(3, numpy.int32), 1, 'constant')
    message = str(info.value)
    assert 'Pad' in message and 'int32' in message
