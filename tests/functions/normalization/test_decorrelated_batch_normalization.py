"""Tests of F.decorrelated_batch_normalization and
F.fixed_decorrelated_batch_normalization."""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _groups_of(x, groups):
    """List of (C, m) matrices, one per group of consecutive channels."""
    x = numpy.asarray(x, numpy.float64)
    out = []
    for part in numpy.split(x, groups, axis=1):
        c = part.shape[1]
        out.append(numpy.moveaxis(part, 1, 0).reshape(c, -1))
    return out


def _from_groups(mats, shape):
    b, c = shape[:2]
    parts = [numpy.moveaxis(m.reshape((m.shape[0], b) + tuple(shape[2:])),
                            0, 1) for m in mats]
    return numpy.concatenate(parts, axis=1)


def _inverse_sqrt(s):
    """S^(-1/2) of a symmetric positive-definite matrix via the SVD."""
    u, sv, _ = numpy.linalg.svd(s)
    return (u / numpy.sqrt(sv)) @ u.T


def _reference(x, groups, eps):
    """(y, means, whitening matrices), all in float64."""
    ys, means, ws = [], [], []
    for mat in _groups_of(x, groups):
        mean = mat.mean(axis=1, keepdims=True)
        xc = mat - mean
        cov = xc @ xc.T / mat.shape[1] + eps * numpy.eye(mat.shape[0])
        w = _inverse_sqrt(cov)
        ys.append(w @ xc)
        means.append(mean[:, 0])
        ws.append(w)
    return _from_groups(ys, x.shape), numpy.stack(means), numpy.stack(ws)


@testing.parameterize(*testing.product_dict(
    [
        {'shape': (6, 4), 'groups': 2},
        {'shape': (5, 3), 'groups': 1},
        {'shape': (4, 4, 3), 'groups': 4},
        {'shape': (3, 6, 2, 2), 'groups': 3},
        {'shape': (2, 4, 3, 2), 'groups': 2},
    ],
    [{'dtype': d} for d in _FLOATS],
))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestDecorrelatedBatchNormalization(testing.FunctionTestCase):

    skip_double_backward_test = True  # not supported, as in Chainer
    eps = 2e-5

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-2, 'rtol': 1e-2}
            self.check_backward_options = {'eps': 1e-3, 'atol': 5e-2,
                                           'rtol': 5e-2}
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-5, 'rtol': 1e-4}
            self.check_backward_options = {'eps': 1e-3, 'atol': 1e-3,
                                           'rtol': 1e-3}
        else:
            self.check_forward_options = {'atol': 1e-10, 'rtol': 1e-10}
            self.check_backward_options = {'eps': 1e-5, 'atol': 1e-7,
                                           'rtol': 1e-6}

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape)
        # Correlated channels, so that the whitening does something.
        mix = numpy.eye(self.shape[1]) + 0.5
        x = numpy.moveaxis(numpy.moveaxis(x, 1, -1) @ mix, -1, 1)
        return x.astype(self.dtype),

    def forward(self, inputs, device):
        return F.decorrelated_batch_normalization(
            inputs[0], groups=self.groups, eps=self.eps),

    def forward_expected(self, inputs):
        y, _, _ = _reference(inputs[0], self.groups, self.eps)
        return y.astype(self.dtype),


def test_output_is_white_per_group():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (50, 6)) @ (numpy.eye(6) + 1) + 3
    y = F.decorrelated_batch_normalization(x, groups=2, eps=1e-9).array
    for mat in _groups_of(y, 2):
        numpy.testing.assert_allclose(mat.mean(axis=1), 0, atol=1e-12)
        numpy.testing.assert_allclose(mat @ mat.T / mat.shape[1],
                                      numpy.eye(3), atol=1e-6)
    # Groups are whitened on their own: a cross-group covariance stays.
    assert abs((y[:, 0] * y[:, 3]).mean()) > 1e-3


def test_running_statistics_are_updated_in_place():
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (5, 4, 2))
    mean = rng.uniform(-1, 1, (2, 2)).astype(numpy.float32)
    projection = rng.uniform(-1, 1, (2, 2, 2)).astype(numpy.float32)
    mean0, projection0 = mean.copy(), projection.copy()
    F.decorrelated_batch_normalization(
        x, groups=2, running_mean=mean, running_projection=projection,
        decay=0.7)
    _, batch_mean, whitening = _reference(x, 2, 2e-5)
    m = 5 * 2
    numpy.testing.assert_allclose(mean, 0.7 * mean0 + 0.3 * batch_mean,
                                  rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(
        projection, 0.7 * projection0 + 0.3 * m / (m - 1) * whitening,
        rtol=1e-5, atol=1e-6)
    assert mean.dtype == numpy.float32 and projection.dtype == numpy.float32


def test_running_statistics_may_be_given_alone():
    x = numpy.random.RandomState(2).uniform(-1, 1, (4, 2))
    mean = numpy.zeros((1, 2))
    F.decorrelated_batch_normalization(x, groups=1, running_mean=mean)
    numpy.testing.assert_allclose(mean, 0.1 * x.mean(axis=0)[None],
                                  rtol=1e-12)


def test_empty_batch_gives_empty_output_and_keeps_statistics():
    mean = numpy.ones((2, 2))
    projection = numpy.ones((2, 2, 2))
    x = Variable(numpy.zeros((0, 4, 3)))
    y = F.decorrelated_batch_normalization(
        x, groups=2, running_mean=mean, running_projection=projection)
    assert y.shape == (0, 4, 3)
    numpy.testing.assert_array_equal(mean, 1)
    numpy.testing.assert_array_equal(projection, 1)
    y.grad = numpy.zeros(y.shape)
    y.backward()
    assert x.grad.shape == (0, 4, 3)


def test_gradient_with_equal_eigenvalues_is_finite():
    # Constant channels: the covariance is eps * I (a repeated eigenvalue).
    x = Variable(numpy.ones((4, 2)))
    y = F.decorrelated_batch_normalization(x, groups=1)
    gx, = dynet.grad([F.sum(y * numpy.arange(8.0).reshape(4, 2))], [x])
    assert numpy.all(numpy.isfinite(gx.array))


def test_double_backward_raises():
    x = Variable(numpy.random.RandomState(3).uniform(-1, 1, (5, 2)))
    y = F.decorrelated_batch_normalization(x, groups=1)
    gx, = dynet.grad([F.sum(y * y * y)], [x], enable_double_backprop=True)
    with pytest.raises(RuntimeError, match='double backpropagation'):
        F.sum(gx).backward()


def test_channels_not_divisible_by_groups():
    with pytest.raises(type_check.InvalidType) as info:
        F.decorrelated_batch_normalization(numpy.zeros((3, 5)), groups=2)
    message = str(info.value)
    assert 'decorrelated_batch_normalization' in message
    assert 'divisible by groups == 2' in message and '(3, 5)' in message


def test_running_statistics_of_wrong_shape():
    x = numpy.zeros((3, 4))
    with pytest.raises(type_check.InvalidType) as info:
        F.decorrelated_batch_normalization(
            x, groups=2, running_mean=numpy.zeros(2))
    message = str(info.value)
    assert 'running_mean.shape == (2, 2)' in message
    assert 'Chainer v6' in message  # the hint for the old layout
    with pytest.raises(type_check.InvalidType) as info:
        F.decorrelated_batch_normalization(
            x, groups=2, running_projection=numpy.zeros((2, 2)))
    assert 'running_projection.shape == (2, 2, 2)' in str(info.value)
    with pytest.raises(TypeError, match='running_mean must be an array'):
        F.decorrelated_batch_normalization(x, groups=2, running_mean=[0, 0])


def test_bad_arguments():
    x = numpy.zeros((3, 4))
    with pytest.raises(ValueError, match='groups must be positive'):
        F.decorrelated_batch_normalization(x, groups=0)
    with pytest.raises(TypeError, match='groups must be an int'):
        F.decorrelated_batch_normalization(x, groups=2.0)
    with pytest.raises(TypeError):
        F.decorrelated_batch_normalization(x, 2)  # keyword-only
    with pytest.raises(TypeError):
        F.decorrelated_batch_normalization(x, group=2)
    with pytest.raises(type_check.InvalidType) as info:
        F.decorrelated_batch_normalization(numpy.zeros(4), groups=1)
    assert 'x.ndim >= 2' in str(info.value)
    with pytest.raises(type_check.InvalidType) as info:
        F.decorrelated_batch_normalization(numpy.zeros((2, 2), numpy.int32),
                                           groups=1)
    assert 'int32' in str(info.value)


@testing.parameterize(*testing.product_dict(
    [
        {'shape': (5, 4), 'groups': 2},
        {'shape': (3, 3, 2), 'groups': 1},
        {'shape': (2, 6, 2, 2), 'groups': 3},
    ],
    [{'dtype': d} for d in _FLOATS],
))
@testing.fix_random()
@testing.inject_backend_tests(None, _BACKENDS)
class TestFixedDecorrelatedBatchNormalization(testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 1e-2, 'rtol': 1e-2}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
            self.check_double_backward_options = {'atol': 5e-2,
                                                  'rtol': 5e-2}
        else:
            self.check_forward_options = {'atol': 1e-6, 'rtol': 1e-5}
            self.check_backward_options = {'atol': 1e-4, 'rtol': 1e-4}
            self.check_double_backward_options = {'atol': 1e-4,
                                                  'rtol': 1e-4}

    def generate_inputs(self):
        size = self.shape[1] // self.groups
        x = numpy.random.uniform(-1, 1, self.shape)
        mean = numpy.random.uniform(-1, 1, (self.groups, size))
        projection = numpy.random.uniform(-1, 1,
                                          (self.groups, size, size))
        return tuple(a.astype(self.dtype) for a in (x, mean, projection))

    def forward(self, inputs, device):
        x, mean, projection = inputs
        return F.fixed_decorrelated_batch_normalization(
            x, mean, projection, groups=self.groups),

    def forward_expected(self, inputs):
        x, mean, projection = inputs
        ys = [p.astype(numpy.float64) @ (mat - m[:, None])
              for mat, m, p in zip(_groups_of(x, self.groups), mean,
                                   projection)]
        return _from_groups(ys, x.shape).astype(self.dtype),


def test_fixed_with_batch_statistics_equals_batch_normalization():
    x = numpy.random.RandomState(4).uniform(-1, 1, (6, 4, 2))
    _, mean, whitening = _reference(x, 2, 2e-5)
    numpy.testing.assert_allclose(
        F.fixed_decorrelated_batch_normalization(x, mean, whitening,
                                                 groups=2).array,
        F.decorrelated_batch_normalization(x, groups=2).array, atol=1e-10)


def test_fixed_checks_its_inputs():
    x = numpy.zeros((3, 4))
    with pytest.raises(type_check.InvalidType) as info:
        F.fixed_decorrelated_batch_normalization(
            x, numpy.zeros((2, 2), numpy.float32), numpy.zeros((2, 2, 2)),
            groups=2)
    assert 'fixed_decorrelated_batch_normalization' in str(info.value)
    assert 'float32' in str(info.value)
    with pytest.raises(type_check.InvalidType) as info:
        F.fixed_decorrelated_batch_normalization(
            x, numpy.zeros((4,)), numpy.zeros((4, 4)), groups=1)
    assert 'mean.shape == (1, 4)' in str(info.value)
    with pytest.raises(type_check.InvalidType) as info:
        F.fixed_decorrelated_batch_normalization(
            x, numpy.zeros((2, 2)), numpy.zeros((2, 2, 2)), groups=3)
    assert 'divisible by groups == 3' in str(info.value)
    with pytest.raises(ValueError, match='groups must be positive'):
        F.fixed_decorrelated_batch_normalization(
            x, numpy.zeros((2, 2)), numpy.zeros((2, 2, 2)), groups=-2)


def test_labels():
    x = Variable(numpy.random.RandomState(5).uniform(size=(3, 2)))
    assert F.decorrelated_batch_normalization(
        x, groups=1).creator.label == 'decorrelated_batch_normalization'
    assert F.fixed_decorrelated_batch_normalization(
        x, numpy.zeros((1, 2)), numpy.ones((1, 2, 2)), groups=1
    ).creator.label == 'fixed_decorrelated_batch_normalization'
