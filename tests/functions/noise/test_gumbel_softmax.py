"""Tests of F.gumbel_softmax."""
import contextlib
import math

import numpy

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.testing import backend
from dynet.testing import function_link

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'eps': 1e-4, 'atol': 5e-3,
                                       'rtol': 5e-3}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
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


def _reference(log_pi, g, tau, axis):
    """softmax((log_pi + g) / tau) with loops over the lines of ``axis``."""
    z = (log_pi.astype(numpy.float64) + g) / tau
    axis %= z.ndim
    y = numpy.empty(z.shape)
    others = z.shape[:axis] + z.shape[axis + 1:]
    for index in numpy.ndindex(*others):
        line = [index[:axis] + (k,) + index[axis:]
                for k in range(z.shape[axis])]
        top = max(z[i] for i in line)
        total = sum(math.exp(z[i] - top) for i in line)
        for i in line:
            y[i] = math.exp(z[i] - top) / total
    return y


@testing.parameterize(*testing.product({
    'shape_axis': [((3, 4), 1), ((3, 4), 0), ((2, 3, 2), -1),
                   ((0, 3), 1)],
    'tau': [1.0, 0.5],
    'dtype': _FLOATS,
}))
@backend.inject_backend_tests(None, [{}])
class TestGumbelSoftmax(function_link.FunctionTestCase):
    """Gumbel noise from NumPy's global generator, reseeded in forward so
    that all evaluations share it (NumPy only: the expected noise replays
    NumPy's ``gumbel`` stream, as Chainer draws it)."""

    seed = 5

    def setUp(self):
        _tolerances(self, self.dtype)
        self.shape, self.axis = self.shape_axis

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        with _seeded(self.seed):
            return F.gumbel_softmax(inputs[0], tau=self.tau, axis=self.axis),

    def forward_expected(self, inputs):
        with _seeded(self.seed):
            g = numpy.random.gumbel(size=self.shape).astype(self.dtype)
        return _reference(inputs[0], g, self.tau, self.axis).astype(
            self.dtype),


@testing.parameterize(*testing.product({'dtype': _FLOATS}))
@backend.inject_backend_tests(None, [{}])
class TestGumbelSoftmaxVariableTau(function_link.FunctionTestCase):
    """A temperature Variable receives a gradient too."""

    seed = 6

    def setUp(self):
        _tolerances(self, self.dtype)

    def generate_inputs(self):
        log_pi = numpy.random.uniform(-1, 1, (3, 4)).astype(self.dtype)
        tau = numpy.array(numpy.random.uniform(0.5, 2), self.dtype)
        return log_pi, tau

    def forward(self, inputs, device):
        with _seeded(self.seed):
            return F.gumbel_softmax(inputs[0], tau=inputs[1]),

    def forward_expected(self, inputs):
        with _seeded(self.seed):
            g = numpy.random.gumbel(size=(3, 4)).astype(self.dtype)
        return _reference(inputs[0], g, float(inputs[1]), 1).astype(
            self.dtype),


@testing.fix_random()
def test_gumbel_softmax_argmax_follows_the_probabilities():
    # Gumbel-max: with a small temperature the sample is nearly one-hot
    # and its argmax is distributed as softmax(log_pi).
    n = 4000
    p = numpy.array([0.2, 0.3, 0.5])
    log_pi = numpy.tile(numpy.log(p), (n, 1)).astype(numpy.float32)
    y = F.gumbel_softmax(Variable(log_pi), tau=0.01).array
    numpy.testing.assert_allclose(y.sum(axis=1), 1, rtol=1e-5)
    counts = numpy.bincount(y.argmax(axis=1), minlength=3) / n
    assert (abs(counts - p) < 4 * numpy.sqrt(p * (1 - p) / n)).all()
    assert (y.max(axis=1) > 0.9).mean() > 0.95


def test_gumbel_softmax_default_tau_and_axis():
    log_pi = numpy.random.uniform(-1, 1, (2, 3, 4))
    with _seeded(1):
        y = F.gumbel_softmax(Variable(log_pi))
    with _seeded(1):
        g = numpy.random.gumbel(size=log_pi.shape)
    numpy.testing.assert_allclose(y.array, _reference(log_pi, g, 0.1, 1),
                                  rtol=1e-10)


def test_gumbel_softmax_of_0_dim_input_is_one():
    y = F.gumbel_softmax(numpy.array(0.5, numpy.float32))
    assert isinstance(y, Variable)
    assert y.shape == () and y.dtype == numpy.float32 and y.array == 1
