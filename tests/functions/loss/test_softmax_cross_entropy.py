"""Tests of F.softmax_cross_entropy."""
import math

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]
_WEIGHT = numpy.array([0.5, 2.0, 1.0, 1.5])


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
                                       'rtol': 1e-7}
    test.check_double_backward_options = dict(test.check_backward_options)


def _positions(x):
    """Index tuples ``(n, :, d1, ...)`` selecting each position's logits."""
    shape = (x.shape[0],) + x.shape[2:]
    for index in numpy.ndindex(*shape):
        yield index, (index[0], slice(None)) + index[1:]


def _log_softmax(v):
    v = [float(a) for a in v]
    top = max(v)
    total = sum(math.exp(a - top) for a in v)
    return [a - top - math.log(total) for a in v]


def _reference_hard(x, t, normalize, class_weight, ignore_label, reduce):
    loss = numpy.zeros(t.shape)
    count = 0
    for index, logits in _positions(x):
        label = int(t[index])
        if label == ignore_label:
            continue
        count += 1
        weight = 1.0 if class_weight is None else class_weight[label]
        loss[index] = -weight * _log_softmax(x[logits])[label]
    if reduce == 'no':
        return loss
    divisor = count if normalize else x.shape[0]
    return numpy.asarray(loss.sum() / max(divisor, 1))


def _reference_soft(x, t, soft_target_loss, reduce):
    loss = numpy.zeros((x.shape[0],) + x.shape[2:])
    for index, logits in _positions(x):
        log_y = _log_softmax(x[logits])
        target = [float(a) for a in t[logits]]
        if soft_target_loss == 'cross-entropy':
            loss[index] = -sum(p * q for p, q in zip(target, log_y))
        else:
            loss[index] = sum(p * (math.log(p + 1e-7) - q)
                              for p, q in zip(target, log_y))
    if reduce == 'no':
        return loss
    return numpy.asarray(loss.sum() / max(loss.size, 1))


def _labels(shape, n_classes, ignore_label):
    t = numpy.random.randint(0, n_classes, shape)
    t[numpy.random.rand(*shape) < 0.25] = ignore_label
    return t.astype(numpy.int32)


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (3, 4, 2), (2, 3, 2, 2), (0, 3)],
    'reduce': ['mean', 'no'],
    'weighted': [False, True],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestSoftmaxCrossEntropy(testing.FunctionTestCase):
    """Int labels, normalize=True, enable_double_backprop=True."""

    def setUp(self):
        _tolerances(self, self.dtype)
        n_classes = self.shape[1]
        self.class_weight = _WEIGHT[:n_classes].astype(self.dtype) \
            if self.weighted else None

    def generate_inputs(self):
        x = numpy.random.uniform(-2, 2, self.shape).astype(self.dtype)
        t = _labels((self.shape[0],) + self.shape[2:], self.shape[1], -1)
        return x, t

    def forward(self, inputs, device):
        x, t = inputs
        class_weight = self.class_weight
        if class_weight is not None:
            class_weight = device.send_array(class_weight)
        return F.softmax_cross_entropy(
            x, t, class_weight=class_weight, reduce=self.reduce,
            enable_double_backprop=True),

    def forward_expected(self, inputs):
        x, t = inputs
        return _reference_hard(x, t, True, self.class_weight, -1,
                               self.reduce).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (3, 4, 2)],
    'reduce': ['mean', 'no'],
    'cache_score': [True, False],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestSoftmaxCrossEntropyUnnormalized(testing.FunctionTestCase):
    """normalize=False, ignore_label=1, class weights, first order only."""

    skip_double_backward_test = True

    def setUp(self):
        _tolerances(self, self.dtype)
        self.class_weight = _WEIGHT[:self.shape[1]].astype(self.dtype)

    def generate_inputs(self):
        x = numpy.random.uniform(-2, 2, self.shape).astype(self.dtype)
        t = _labels((self.shape[0],) + self.shape[2:], self.shape[1], 1)
        return x, t

    def forward(self, inputs, device):
        x, t = inputs
        return F.softmax_cross_entropy(
            x, t, normalize=False, cache_score=self.cache_score,
            class_weight=device.send_array(self.class_weight),
            ignore_label=1, reduce=self.reduce),

    def forward_expected(self, inputs):
        x, t = inputs
        return _reference_hard(x, t, False, self.class_weight, 1,
                               self.reduce).astype(self.dtype),


@testing.parameterize(*testing.product({
    'shape': [(4, 3), (2, 3, 2)],
    'soft_target_loss': ['cross-entropy', 'kl-divergence'],
    'reduce': ['mean', 'no'],
    'enable_double_backprop': [False, True],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
@testing.fix_random()
class TestSoftmaxCrossEntropySoftTarget(testing.FunctionTestCase):

    def setUp(self):
        _tolerances(self, self.dtype)
        # Soft targets are constants: only x gets a gradient.
        self.check_backward_options['no_grads'] = [False, True]
        self.check_double_backward_options['no_grads'] = [False, True]
        self.skip_double_backward_test = not self.enable_double_backprop

    def generate_inputs(self):
        x = numpy.random.uniform(-2, 2, self.shape).astype(self.dtype)
        t = numpy.random.uniform(0.05, 1, self.shape)
        t /= t.sum(axis=1, keepdims=True)
        return x, t.astype(self.dtype)

    def forward(self, inputs, device):
        return F.softmax_cross_entropy(
            *inputs, reduce=self.reduce,
            soft_target_loss=self.soft_target_loss,
            enable_double_backprop=self.enable_double_backprop),

    def forward_expected(self, inputs):
        return _reference_soft(*inputs, self.soft_target_loss,
                               self.reduce).astype(self.dtype),


def test_softmax_cross_entropy_chainer_example():
    x = numpy.array([[-1, 0, 1, 2], [2, 0, 1, -1]], numpy.float32)
    t = numpy.array([3, 0], numpy.int32)
    y = F.softmax_cross_entropy(x, t)
    assert y.shape == () and y.dtype == numpy.float32
    assert float(y.array) == pytest.approx(0.44018972, rel=1e-6)


@pytest.mark.parametrize('dtype', _FLOATS)
@pytest.mark.parametrize('double', [False, True])
def test_softmax_cross_entropy_large_logits(dtype, double):
    x = Variable(numpy.array([[1e4, -1e4, 0], [-1e4, 1e4, 1e4]], dtype))
    t = numpy.array([1, 2], numpy.int32)
    loss = F.softmax_cross_entropy(x, t, reduce='no',
                                   enable_double_backprop=double)
    numpy.testing.assert_allclose(loss.array.astype(numpy.float64),
                                  [2e4, math.log(2)], rtol=1e-3)
    F.sum(loss).backward()
    numpy.testing.assert_allclose(x.grad.astype(numpy.float64),
                                  [[1, -1, 0], [0, 0.5, -0.5]], atol=1e-3)


@pytest.mark.parametrize('double', [False, True])
def test_softmax_cross_entropy_soft_target_large_logits(double):
    x = Variable(numpy.array([[1e4, -1e4, 0]], numpy.float32))
    t = numpy.array([[0.5, 0, 0.5]], numpy.float32)
    loss = F.softmax_cross_entropy(x, t, enable_double_backprop=double)
    assert float(loss.array) == pytest.approx(0.5 * 1e4, rel=1e-6)
    loss.backward()
    numpy.testing.assert_allclose(x.grad, [[0.5, 0, -0.5]], atol=1e-6)


def test_softmax_cross_entropy_all_ignored():
    x = Variable(numpy.random.randn(3, 4).astype(numpy.float32))
    t = numpy.full(3, -1, numpy.int32)
    loss = F.softmax_cross_entropy(x, t)
    assert float(loss.array) == 0
    loss.backward()
    numpy.testing.assert_array_equal(x.grad, numpy.zeros((3, 4)))


def test_softmax_cross_entropy_second_order_values():
    x = Variable(numpy.array([[0.2, -0.5, 1.0]]))
    t = numpy.array([2], numpy.int32)
    gx, = dynet.grad([F.softmax_cross_entropy(
        x, t, enable_double_backprop=True)], [x],
        enable_double_backprop=True)
    y = numpy.exp(x.array) / numpy.exp(x.array).sum()
    numpy.testing.assert_allclose(gx.array, y - [[0, 0, 1]])
    # d/dx of sum(softmax(x) * w) = y * (w - sum(y * w)).
    w = numpy.array([[1.0, 2.0, 3.0]])
    ggx, = dynet.grad([F.sum(gx * w)], [x])
    numpy.testing.assert_allclose(ggx.array, y * (w - (y * w).sum()))


def test_softmax_cross_entropy_double_backprop_not_enabled_raises():
    x = Variable(numpy.array([[0.2, -0.5, 1.0]]))
    t = numpy.array([2], numpy.int32)
    gx, = dynet.grad([F.softmax_cross_entropy(x, t)], [x],
                     enable_double_backprop=True)
    with pytest.raises(RuntimeError, match='enable_double_backprop=True'):
        dynet.grad([F.sum(gx * gx)], [x])


def test_softmax_cross_entropy_label_variable_and_no_label_gradient():
    x = Variable(numpy.random.randn(2, 3))
    t = Variable(numpy.array([0, 2], numpy.int32))
    F.softmax_cross_entropy(x, t).backward()
    assert x.grad is not None and t.grad is None


def test_softmax_cross_entropy_invalid_options():
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.zeros(2, numpy.int32)
    with pytest.raises(ValueError) as info:
        F.softmax_cross_entropy(x, t, reduce='sum')
    assert 'softmax_cross_entropy' in str(info.value)
    assert "'mean'" in str(info.value) and "'no'" in str(info.value)
    with pytest.raises(ValueError, match='soft_target_loss'):
        F.softmax_cross_entropy(x, t, soft_target_loss='kl')
    with pytest.raises(ValueError, match='ndim'):
        F.softmax_cross_entropy(x, t, class_weight=numpy.ones((3, 1)))
    with pytest.raises(ValueError, match='float'):
        F.softmax_cross_entropy(x, t, class_weight=numpy.ones(3, 'i'))
    with pytest.raises(ValueError, match='Variable'):
        F.softmax_cross_entropy(x, t, class_weight=Variable(numpy.ones(3)))


@pytest.mark.parametrize('x,t,expect', [
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros(3, numpy.int32),
     'x.shape[0] == t.shape[0]'),
    (numpy.zeros((2, 3, 4), numpy.float32), numpy.zeros((2, 5), numpy.int32),
     'x.shape[2:] == t.shape[1:]'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 1), numpy.int32),
     't.ndim == x.ndim - 1'),
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros(2, numpy.int32),
     'x.dtype'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros(2, numpy.bool_),
     't.dtype == bool'),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 4), numpy.float32),
     'shape'),
    (numpy.zeros((3,), numpy.float32), numpy.zeros((), numpy.int32),
     'x.ndim >= 2'),
])
def test_softmax_cross_entropy_bad_inputs(x, t, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.softmax_cross_entropy(x, t)
    message = str(info.value)
    assert 'SoftmaxCrossEntropy' in message and expect in message
    assert 'Expect' in message and 'Actual' in message


def test_softmax_cross_entropy_class_weight_of_wrong_length():
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.zeros(2, numpy.int32)
    with pytest.raises(type_check.InvalidType) as info:
        F.softmax_cross_entropy(x, t, class_weight=numpy.ones(4, 'f'))
    assert 'class_weight.shape' in str(info.value)


@pytest.mark.parametrize('label', [3, -2, 100])
def test_softmax_cross_entropy_label_out_of_range(label):
    x = numpy.zeros((2, 3, 2), numpy.float32)
    t = numpy.array([[0, -1], [label, 2]], numpy.int32)
    with pytest.raises(ValueError) as info:
        F.softmax_cross_entropy(x, t)
    message = str(info.value)
    assert 'SoftmaxCrossEntropy' in message
    assert '0 <= t < 3' in message and 'ignore_label' in message
    assert 't[1, 0] == {}'.format(label) in message


def test_softmax_cross_entropy_custom_ignore_label_is_in_range():
    x = numpy.zeros((2, 3), numpy.float32)
    t = numpy.array([5, 1], numpy.int32)
    loss = F.softmax_cross_entropy(x, t, ignore_label=5)
    assert float(loss.array) == pytest.approx(math.log(3))
    with pytest.raises(ValueError):
        F.softmax_cross_entropy(x, numpy.array([-1, 1], numpy.int32),
                                ignore_label=5)


@pytest.mark.parametrize('double', [False, True])
@pytest.mark.parametrize('soft_target_loss', ['cross-entropy',
                                              'kl-divergence'])
def test_softmax_cross_entropy_unnormalized_soft_target_gradient(
        double, soft_target_loss):
    # The gradient is the exact one, sum(t) * softmax(x) - t, also when
    # the targets do not sum to 1.
    from dynet import gradient_check
    x = numpy.random.uniform(-1, 1, (3, 4))
    t = numpy.random.uniform(0, 1, (3, 4))

    def f(x):
        return F.softmax_cross_entropy(
            x, t, enable_double_backprop=double,
            soft_target_loss=soft_target_loss)
    gradient_check.check_backward(f, x, None, eps=1e-5, atol=1e-9,
                                  rtol=1e-7)
