"""Tests of F.discriminative_margin_based_clustering_loss."""
import numpy
import pytest

import dynet.functions as F
from dynet import testing
from dynet import Variable
from dynet.functions.loss.discriminative_loss import (
    DiscriminativeMarginBasedClusteringLoss)
from dynet.utils import type_check

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]
_BACKENDS = [{}, {'use_cuda': True}]


def _reference(e, labels, delta_v, delta_d, n_inst, norm, alpha, beta,
               gamma):
    """Loops over instances, images and pixels, following the definition
    (an offset of a pixel outside the instance counts as 0)."""
    e = e.astype(numpy.float64)
    batch, channels, height, width = e.shape

    def length(v):
        return numpy.abs(v).sum() if norm == 1 else numpy.sqrt((v * v).sum())

    mu = numpy.zeros((n_inst, batch, channels))
    for m in range(n_inst):
        for b in range(batch):
            inside = labels[b] == m + 1
            if inside.any():
                mu[m, b] = e[b][:, inside].mean(axis=1)
    variance = 0.0
    for m in range(n_inst):
        total, count = 0.0, 0
        for b in range(batch):
            for i in range(height):
                for j in range(width):
                    if labels[b, i, j] == m + 1:
                        d = length(mu[m, b] - e[b, :, i, j])
                        count += 1
                    else:
                        d = 0.0
                    total += max(d - delta_v, 0.0) ** 2
        variance += total / max(count, 1)
    variance /= n_inst
    distance, pairs = 0.0, 0
    for m in range(n_inst):
        for n in range(m + 1, n_inst):
            for b in range(batch):
                distance += max(2 * delta_d - length(mu[m, b] - mu[n, b]),
                                0.0) ** 2
            pairs += 1
    distance /= max(pairs * batch, 1)
    regularization = sum(length(mu[m]) for m in range(n_inst)) / (
        n_inst * batch)
    return alpha * variance, beta * distance, gamma * regularization


@testing.parameterize(*testing.product({
    'batch': [1, 2],
    'norm': [1, 2],
    'dtype': _FLOATS,
}))
@testing.inject_backend_tests(None, _BACKENDS)
class TestDiscriminativeLoss(testing.FunctionTestCase):

    n_inst = 3
    dodge_nondifferentiable = True
    params = dict(delta_v=0.3, delta_d=1.5, alpha=1.0, beta=0.5, gamma=0.1)

    def setUp(self):
        if self.dtype == numpy.float16:
            self.check_forward_options = {'atol': 2e-2, 'rtol': 2e-2}
            self.check_backward_options = {'atol': 5e-2, 'rtol': 5e-2}
            self.skip_double_backward_test = True
        elif self.dtype == numpy.float32:
            self.check_forward_options = {'atol': 1e-5, 'rtol': 1e-5}
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
            self.check_double_backward_options = {'atol': 1e-2,
                                                  'rtol': 1e-2}
        else:
            self.check_forward_options = {'atol': 1e-10, 'rtol': 1e-10}
            self.check_backward_options = {'eps': 1e-6, 'atol': 1e-7,
                                           'rtol': 1e-6}
            self.check_double_backward_options = {'eps': 1e-6, 'atol': 1e-5,
                                                  'rtol': 1e-5}

    def generate_inputs(self):
        shape = (self.batch, self.n_inst, 3, 4)
        e = numpy.random.uniform(-1, 1, shape).astype(self.dtype)
        # Labels 0 (background) to 3; instance 3 is absent from image 0.
        labels = numpy.random.randint(0, self.n_inst, (self.batch, 3, 4))
        labels[-1, 0, :] = self.n_inst
        return e, labels.astype(numpy.int32)

    def forward(self, inputs, device):
        e, labels = inputs
        return F.discriminative_margin_based_clustering_loss(
            e, labels.array, self.params['delta_v'], self.params['delta_d'],
            self.n_inst, norm=self.norm, alpha=self.params['alpha'],
            beta=self.params['beta'], gamma=self.params['gamma'])

    def forward_expected(self, inputs):
        e, labels = inputs
        p = self.params
        return tuple(numpy.asarray(v, self.dtype) for v in _reference(
            e, labels, p['delta_v'], p['delta_d'], self.n_inst, self.norm,
            p['alpha'], p['beta'], p['gamma']))


@pytest.mark.parametrize('norm', [1, 2])
def test_negative_delta_v_and_single_instance(norm):
    numpy.random.seed(3)
    e = numpy.random.uniform(-1, 1, (2, 1, 2, 3))
    labels = numpy.random.randint(0, 2, (2, 2, 3))
    result = F.discriminative_margin_based_clustering_loss(
        e, labels, -0.2, 1.0, 1, norm=norm)
    expected = _reference(e, labels, -0.2, 1.0, 1, norm, 1.0, 1.0, 0.001)
    assert all(isinstance(v, Variable) and v.shape == () for v in result)
    numpy.testing.assert_allclose([float(v.array) for v in result],
                                  expected, rtol=1e-10)
    assert float(result[1].array) == 0  # no pair of instances


def test_l2_gradient_is_finite_at_zero_distances():
    # Background pixels and two absent instances give zero distances,
    # where sqrt has no derivative; the gradient there is taken as 0.
    e = Variable(numpy.random.uniform(-1, 1, (1, 3, 2, 2)))
    labels = numpy.array([[[0, 1], [1, 0]]])
    terms = F.discriminative_margin_based_clustering_loss(
        e, labels, 0.1, 1.0, 3, norm=2)
    F.sum(F.stack(terms)).backward()
    assert numpy.isfinite(e.grad).all()
    numpy.testing.assert_array_equal(e.grad[0, :, 0, 0], 0)


def test_callable_class():
    loss = DiscriminativeMarginBasedClusteringLoss(
        delta_v=0.5, delta_d=1.5, max_embedding_dim=2, norm=2)
    e = numpy.random.uniform(-1, 1, (1, 2, 2, 2)).astype(numpy.float32)
    labels = numpy.array([[[1, 2], [2, 0]]], numpy.int32)
    got = [float(v.array) for v in loss(e, labels)]
    numpy.testing.assert_allclose(
        got, _reference(e, labels, 0.5, 1.5, 2, 2, 1.0, 1.0, 0.001),
        rtol=1e-5)


def test_bad_arguments():
    e = numpy.zeros((1, 2, 2, 2), numpy.float32)
    labels = numpy.zeros((1, 2, 2), numpy.int32)
    f = F.discriminative_margin_based_clustering_loss
    with pytest.raises(ValueError, match='norm must be 1 or 2, got 3'):
        f(e, labels, 0.5, 1.5, 2, norm=3)
    with pytest.raises(ValueError, match='max_embedding_dim must be a '
                       'positive int, got 0'):
        f(e, labels, 0.5, 1.5, 0)


@pytest.mark.parametrize('e,labels,expect', [
    (numpy.zeros((1, 2, 2, 2), numpy.int32), numpy.zeros((1, 2, 2)),
     'embeddings.dtype'),
    (numpy.zeros((2, 2, 2), numpy.float32), numpy.zeros((1, 2, 2)),
     'embeddings.ndim == 4'),
    (numpy.zeros((1, 3, 2, 2), numpy.float32), numpy.zeros((1, 2, 2)),
     'embeddings.shape[1] == max_embedding_dim'),
    (numpy.zeros((1, 2, 2, 2), numpy.float32), numpy.zeros((1, 2, 3)),
     'labels.shape == (embeddings.shape[0]'),
    (numpy.zeros((1, 2, 2, 2), numpy.float32),
     numpy.zeros((1, 2, 2), numpy.complex64), 'labels.dtype'),
])
def test_bad_inputs(e, labels, expect):
    with pytest.raises(type_check.InvalidType) as info:
        F.discriminative_margin_based_clustering_loss(e, labels, 0.5, 1.5, 2)
    message = str(info.value)
    assert 'discriminative_margin_based_clustering_loss' in message
    assert expect in message and 'Expect' in message and 'Actual' in message
