"""Tests of F.zoneout."""
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


@contextlib.contextmanager
def _seeded(seed):
    state = numpy.random.get_state()
    numpy.random.seed(seed)
    try:
        yield
    finally:
        numpy.random.set_state(state)


@testing.parameterize(*testing.product({
    'shape': [(3, 4), (), (0, 3), (2, 1, 3)],
    'ratio': [0.3, 0.5],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, [{}])
class TestZoneout(function_link.FunctionTestCase):
    """The choice from NumPy's global generator, reseeded in forward so
    that every evaluation uses the same one (NumPy only: the expected
    choice replays NumPy's stream, ``rand(*shape) >= ratio``, as Chainer
    draws it)."""

    seed = 4

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                           'rtol': 5e-3}
        else:
            self.check_backward_options = {'eps': 1e-4, 'atol': 1e-6,
                                           'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        h = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return h, x

    def forward(self, inputs, device):
        with _seeded(self.seed):
            return F.zoneout(*inputs, ratio=self.ratio),

    def forward_expected(self, inputs):
        h, x = inputs
        with _seeded(self.seed):
            take_x = numpy.asarray(
                numpy.random.rand(*self.shape)) >= self.ratio
        y = numpy.empty(self.shape, self.dtype)
        for i in numpy.ndindex(*self.shape):
            y[i] = x[i] if take_x[i] else h[i]
        return y,


@testing.fix_random()
@pytest.mark.parametrize('ratio', [0.25, 0.5])
def test_zoneout_statistics_and_gradients(ratio):
    shape = (100, 100)
    h = Variable(numpy.zeros(shape, numpy.float32))
    x = Variable(numpy.ones(shape, numpy.float32))
    y = F.zoneout(h, x, ratio)
    kept_h = (y.array == 0).mean()
    assert abs(kept_h - ratio) < 4 * numpy.sqrt(ratio * (1 - ratio) / 1e4)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(x.grad, y.array)
    numpy.testing.assert_array_equal(h.grad, 1 - y.array)


def test_zoneout_returns_x_in_test_mode():
    h = numpy.zeros(3, numpy.float32)
    x = numpy.ones(3, numpy.float32)
    xv = Variable(x)
    with dynet.using_config('train', False):
        assert F.zoneout(h, x) is x
        assert F.zoneout(h, xv) is xv


def test_zoneout_shape_mismatch():
    with pytest.raises(type_check.InvalidType) as info:
        F.zoneout(numpy.zeros((2, 3), numpy.float32),
                  numpy.zeros((3,), numpy.float32))
    message = str(info.value)
    assert 'Zoneout' in message and '(2, 3) != (3,)' in message


def test_zoneout_train_argument_is_removed():
    with pytest.raises(ValueError, match='using_config'):
        F.zoneout(numpy.zeros(3), numpy.zeros(3), train=True)
