"""Tests of L.GroupNormalization."""
import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import Variable


def test_explicit_size_and_forward():
    link = L.GroupNormalization(2, 4, initial_gamma=2.0)
    numpy.testing.assert_array_equal(link.gamma.array, 2)
    numpy.testing.assert_array_equal(link.beta.array, 0)
    x = numpy.random.uniform(-1, 1, (3, 4, 5)).astype(numpy.float32)
    numpy.testing.assert_array_equal(
        link(x).array,
        F.group_normalization(x, 2, link.gamma, link.beta).array)


def test_deferred_size():
    link = L.GroupNormalization(3)
    assert link.gamma.array is None
    link(numpy.zeros((2, 6, 2, 2), numpy.float32))
    assert link.gamma.shape == (6,) and link.beta.shape == (6,)


def test_deferred_size_needs_channels():
    with pytest.raises(ValueError, match='at least 2 dimensions'):
        L.GroupNormalization(1)(numpy.zeros(3, numpy.float32))


def test_eps_is_used():
    link = L.GroupNormalization(1, 2, eps=1.0)
    x = numpy.array([[0., 2.]], numpy.float32)
    numpy.testing.assert_allclose(link(x).array,
                                  [[-1 / numpy.sqrt(2), 1 / numpy.sqrt(2)]],
                                  rtol=1e-6)


def test_mixed16_parameters_are_float32():
    with dynet.using_config('dtype', 'mixed16'):
        link = L.GroupNormalization(2, 4)
    assert link.gamma.dtype == numpy.float32
    x = numpy.random.uniform(-1, 1, (2, 4, 3)).astype(numpy.float16)
    y = link(x)
    assert y.dtype == numpy.float16


def test_gradients_reach_parameters():
    link = L.GroupNormalization(2, 4)
    x = Variable(numpy.random.uniform(-1, 1, (2, 4, 3)).astype(
        numpy.float32))
    F.sum(link(x) ** 3).backward()
    assert link.gamma.grad.shape == (4,) and x.grad.shape == (2, 4, 3)
