"""Tests of F.dropout."""
import contextlib

import numpy
import pytest

import dynet
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
        test.check_forward_options = {'atol': 1e-3, 'rtol': 1e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    else:
        test.check_forward_options = {'atol': 1e-7, 'rtol': 1e-7}
        test.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                       'rtol': 1e-6}
    test.check_double_backward_options = test.check_backward_options


@contextlib.contextmanager
def _seeded(seed):
    """NumPy's global generator reseeded inside, restored afterwards."""
    state = numpy.random.get_state()
    numpy.random.seed(seed)
    try:
        yield
    finally:
        numpy.random.set_state(state)


def _reference(x, keep, ratio):
    y = numpy.zeros(x.shape)
    for i in numpy.ndindex(*x.shape):
        if keep[i]:
            y[i] = float(x[i]) / (1 - ratio)
    return y


@testing.parameterize(*testing.product({
    'shape': [(3, 4), (), (0, 3), (2, 1, 3)],
    'ratio': [0.0, 0.3, 0.75],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, _BACKENDS)
class TestDropoutGivenMask(function_link.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        self.keep = numpy.random.uniform(0, 1, self.shape) >= self.ratio
        self.mask = self.keep / (1 - self.ratio)

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        mask = device.send(self.mask.astype(self.dtype))
        return F.dropout(inputs[0], self.ratio, mask=mask),

    def forward_expected(self, inputs):
        return _reference(inputs[0], self.keep, self.ratio).astype(
            self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(3, 4), (2, 1, 3)],
    'ratio': [0.3, 0.5],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, [{}])
class TestDropoutRandomMask(function_link.FunctionTestCase):
    """The mask drawn from NumPy's global generator, which forward reseeds
    so that every evaluation (including the numerical gradient's) draws
    the same mask. NumPy only: the expected mask replays NumPy's stream
    (Chainer's ``rand(*shape) >= ratio``)."""

    seed = 11

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        with _seeded(self.seed):
            return F.dropout(inputs[0], self.ratio),

    def forward_expected(self, inputs):
        with _seeded(self.seed):
            keep = numpy.random.rand(*self.shape) >= self.ratio
        return _reference(inputs[0], keep, self.ratio).astype(self.dtype),


@testing.fix_random()
@pytest.mark.parametrize('dtype', _FLOATS)
@pytest.mark.parametrize('ratio', [0.2, 0.6])
def test_dropout_statistics(dtype, ratio):
    x = numpy.ones((200, 100), dtype)
    y, mask = F.dropout(Variable(x), ratio, return_mask=True)
    assert y.dtype == dtype and mask.dtype == dtype
    kept = y.array != 0
    n = kept.size
    # The dropped fraction is Binomial(n, ratio) / n.
    assert abs((1 - kept.mean()) - ratio) < 4 * numpy.sqrt(
        ratio * (1 - ratio) / n)
    numpy.testing.assert_allclose(
        y.array[kept].astype(numpy.float64), 1 / (1 - ratio), rtol=1e-3)
    numpy.testing.assert_array_equal(y.array, mask)


@pytest.mark.parametrize('dtype', _FLOATS)
def test_dropout_mask_replays_the_global_generator(dtype):
    # Chainer's mask: rand(*shape) >= ratio, scaled; same seed, same mask.
    x = numpy.ones((50, 40), dtype)
    with _seeded(123):
        _, mask = F.dropout(x, 0.35, return_mask=True)
    with _seeded(123):
        keep = numpy.random.rand(50, 40) >= 0.35
    expected = keep * dtype(1 / 0.65)
    assert mask.dtype == dtype
    numpy.testing.assert_array_equal(mask, expected)


def test_dropout_backward_reuses_the_mask():
    x = Variable(numpy.random.uniform(-1, 1, (5, 6)))
    y, mask = F.dropout(x, 0.4, return_mask=True)
    gy = numpy.random.uniform(-1, 1, (5, 6))
    y.grad = gy
    y.backward()
    numpy.testing.assert_array_equal(x.grad, gy * mask)
    # The returned mask reproduces the output.
    y2 = F.dropout(x, 0.4, mask=mask)
    numpy.testing.assert_array_equal(y2.array, y.array)


def test_dropout_is_identity_in_test_mode():
    x = Variable(numpy.random.uniform(-1, 1, (3, 4)).astype(numpy.float32))
    state = numpy.random.get_state()[1].copy()
    with dynet.using_config('train', False):
        y = F.dropout(x, 0.5)
        y2, mask = F.dropout(x.array, 0.5, return_mask=True)
    assert y is x
    assert isinstance(y2, Variable) and y2.array is x.array
    assert mask is None
    numpy.testing.assert_array_equal(numpy.random.get_state()[1], state)


@pytest.mark.parametrize('ratio', [-0.1, 1.0, 1.5])
def test_dropout_ratio_out_of_range(ratio):
    with pytest.raises(ValueError, match='dropout.*ratio'):
        F.dropout(Variable(numpy.zeros(3, numpy.float32)), ratio)


def test_dropout_train_argument_is_removed():
    with pytest.raises(ValueError, match='using_config'):
        F.dropout(Variable(numpy.zeros(3, numpy.float32)), train=False)


def test_dropout_unknown_argument():
    with pytest.raises(TypeError, match="dropout.*'foo'"):
        F.dropout(Variable(numpy.zeros(3, numpy.float32)), foo=1)


def test_dropout_mask_of_wrong_shape():
    with pytest.raises(type_check.InvalidType) as info:
        F.dropout(Variable(numpy.zeros((2, 3), numpy.float32)),
                  mask=numpy.ones((3,), numpy.float32))
    message = str(info.value)
    assert 'Dropout' in message and '(2, 3) != (3,)' in message


def test_dropout_non_float_input():
    with pytest.raises(type_check.InvalidType) as info:
        F.dropout(Variable(numpy.zeros((2, 3), numpy.int32)))
    assert 'Dropout' in str(info.value) and 'int32' in str(info.value)
