"""Tests of F.gaussian_kl_divergence, F.bernoulli_nll and F.gaussian_nll."""
import math

import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]
_REDUCES = ['sum', 'mean', 'no']


def _tolerances(test, dtype):
    if dtype == numpy.float16:
        test.check_forward_options = {'atol': 5e-3, 'rtol': 5e-3}
        test.check_backward_options = {'atol': 1e-2, 'rtol': 1e-2}
    elif dtype == numpy.float32:
        test.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
        test.check_backward_options = {'atol': 1e-5, 'rtol': 1e-5}
    else:
        test.check_forward_options = {'atol': 1e-12, 'rtol': 1e-12}
        test.check_backward_options = {'eps': 1e-5, 'atol': 1e-8,
                                       'rtol': 1e-8}
    test.check_double_backward_options = test.check_backward_options


def _reduce(loss, reduce, dtype):
    if reduce == 'sum':
        loss = loss.sum()
    elif reduce == 'mean':
        with numpy.errstate(invalid='ignore'):
            loss = loss.sum() / loss.size
    return numpy.asarray(loss).astype(dtype)


def _elementwise(function, *arrays):
    """``function`` of Python floats applied at every broadcast position."""
    arrays = [a.astype(numpy.float64) for a in arrays]
    shape = numpy.broadcast_shapes(*[a.shape for a in arrays])
    arrays = [numpy.broadcast_to(a, shape) for a in arrays]
    out = numpy.empty(shape)
    for i in numpy.ndindex(*shape):
        out[i] = function(*[float(a[i]) for a in arrays])
    return out


# (shape of the first input, shape of the other(s)).
_SHAPES = [((3, 2), (3, 2)), ((2, 3), (3,)), ((1, 3), (2, 3)), ((), ()),
           ((0, 2), (0, 2))]


@testing.parameterize(*testing.product({
    'shapes': _SHAPES,
    'reduce': _REDUCES,
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestGaussianKLDivergence(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        if self.reduce == 'mean' and 0 in self.shapes[0]:
            self.skip_backward_test = self.skip_double_backward_test = True

    def generate_inputs(self):
        mean = numpy.random.uniform(-1, 1, self.shapes[0])
        ln_var = numpy.random.uniform(-1, 1, self.shapes[1])
        return mean.astype(self.dtype), ln_var.astype(self.dtype)

    def forward(self, inputs, device):
        return F.gaussian_kl_divergence(*inputs, reduce=self.reduce),

    def forward_expected(self, inputs):
        loss = _elementwise(
            lambda m, v: 0.5 * (m * m + math.exp(v) - v - 1), *inputs)
        return _reduce(loss, self.reduce, self.dtype),


@testing.parameterize(*testing.product({
    'shapes': _SHAPES,
    'reduce': _REDUCES,
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestBernoulliNLL(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        if self.reduce == 'mean' and 0 in self.shapes[0]:
            self.skip_backward_test = self.skip_double_backward_test = True

    def generate_inputs(self):
        x = numpy.random.uniform(0, 1, self.shapes[0])
        y = numpy.random.uniform(-3, 3, self.shapes[1])
        return x.astype(self.dtype), y.astype(self.dtype)

    def forward(self, inputs, device):
        return F.bernoulli_nll(*inputs, reduce=self.reduce),

    def forward_expected(self, inputs):
        def nll(x, y):
            p = 1 / (1 + math.exp(-y))
            return -(x * math.log(p) + (1 - x) * math.log(1 - p))
        return _reduce(_elementwise(nll, *inputs), self.reduce, self.dtype),


@testing.parameterize(*testing.product({
    'shapes': [((3, 2), (3, 2), (3, 2)), ((2, 3), (3,), (2, 1)),
               ((), (2,), ()), ((0, 2), (0, 2), (2,))],
    'reduce': _REDUCES,
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestGaussianNLL(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        if self.reduce == 'mean' and 0 in self.shapes[0]:
            self.skip_backward_test = self.skip_double_backward_test = True

    def generate_inputs(self):
        return tuple(numpy.random.uniform(-1, 1, s).astype(self.dtype)
                     for s in self.shapes)

    def forward(self, inputs, device):
        return F.gaussian_nll(*inputs, reduce=self.reduce),

    def forward_expected(self, inputs):
        def nll(x, mean, ln_var):
            var = math.exp(ln_var)
            return -math.log(math.exp(-(x - mean) ** 2 / (2 * var)) /
                             math.sqrt(2 * math.pi * var))
        return _reduce(_elementwise(nll, *inputs), self.reduce, self.dtype),


def test_vae_losses_are_stable_for_large_logits():
    y = numpy.array([-1e4, 1e4, 0.0], numpy.float32)
    x = numpy.array([0.0, 1.0, 1.0], numpy.float32)
    loss = F.bernoulli_nll(x, y, reduce='no')
    numpy.testing.assert_allclose(loss.array, [0, 0, math.log(2)], atol=1e-6)


def test_gaussian_kl_divergence_double_backward_value():
    mean = Variable(numpy.array([0.5, -1.0]))
    ln_var = Variable(numpy.array([0.0, 1.0]))
    import dynet
    gm, gv = dynet.grad([F.gaussian_kl_divergence(mean, ln_var)],
                        [mean, ln_var], enable_double_backprop=True)
    numpy.testing.assert_allclose(gm.array, [0.5, -1.0])
    numpy.testing.assert_allclose(gv.array, 0.5 * (numpy.exp([0, 1]) - 1))
    ggv, = dynet.grad([F.sum(gv)], [ln_var])
    numpy.testing.assert_allclose(ggv.array, 0.5 * numpy.exp([0, 1]))


@pytest.mark.parametrize('function', [
    F.gaussian_kl_divergence, F.bernoulli_nll,
    lambda a, b, reduce: F.gaussian_nll(a, b, b, reduce=reduce)])
@pytest.mark.parametrize('reduce', ['avg', 'sum_along_second_axis', None])
def test_vae_losses_invalid_reduce(function, reduce):
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError) as info:
        function(x, x, reduce=reduce)
    message = str(info.value)
    assert "'sum'" in message and "'mean'" in message and "'no'" in message
    assert repr(reduce) in message


@pytest.mark.parametrize('function,label', [
    (F.gaussian_kl_divergence, 'GaussianKLDivergence'),
    (F.bernoulli_nll, 'BernoulliNLL')])
def test_vae_losses_bad_inputs(function, label):
    x = numpy.zeros((2, 3), numpy.float32)
    cases = [(x, x.astype(numpy.float64), 'float64'),
             (x, numpy.zeros((3, 2), numpy.float32), 'shape'),
             (x.astype(numpy.int32), x.astype(numpy.int32), 'int32')]
    for a, b, expect in cases:
        with pytest.raises(type_check.InvalidType) as info:
            function(a, b)
        message = str(info.value)
        assert label in message and expect in message
        assert 'Expect' in message and 'Actual' in message


def test_gaussian_nll_bad_inputs():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(type_check.InvalidType, match='GaussianNLL'):
        F.gaussian_nll(x, x, x.astype(numpy.float16))
    with pytest.raises(type_check.InvalidType, match='GaussianNLL'):
        F.gaussian_nll(x, x, numpy.zeros((4,), numpy.float32))
