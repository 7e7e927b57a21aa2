"""Tests of L.LayerNormalization."""
import numpy

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import testing
from dynet import Variable


def test_explicit_size_and_defaults():
    link = L.LayerNormalization(4)
    assert link.eps == 1e-6
    numpy.testing.assert_array_equal(link.gamma.array, numpy.ones(4))
    numpy.testing.assert_array_equal(link.beta.array, numpy.zeros(4))
    assert link.gamma.dtype == numpy.float32
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(numpy.float32)
    x64 = x.astype(numpy.float64)
    expected = (x64 - x64.mean(axis=1, keepdims=True)) / numpy.sqrt(
        x64.var(axis=1, keepdims=True) + 1e-6)
    numpy.testing.assert_allclose(link(x).array, expected, rtol=1e-5,
                                  atol=1e-5)


def test_deferred_size():
    link = L.LayerNormalization()
    assert link.gamma.array is None
    x = numpy.random.uniform(-1, 1, (2, 5)).astype(numpy.float32)
    link(x)
    assert link.gamma.shape == (5,) and link.beta.shape == (5,)


def test_initializers_and_gradients():
    link = L.LayerNormalization(3, eps=0.1,
                                initial_gamma=numpy.array([1., 2., 3.],
                                                          numpy.float32),
                                initial_beta=0.5)
    numpy.testing.assert_array_equal(link.beta.array, [.5, .5, .5])
    x = Variable(numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32))
    y = link(x)
    numpy.testing.assert_allclose(
        y.array, F.layer_normalization(x, link.gamma, link.beta,
                                       eps=0.1).array)
    F.sum(y * y).backward()
    assert link.gamma.grad.shape == (3,) and x.grad.shape == (2, 3)


def test_float64_config_and_serialization():
    with dynet.using_config('dtype', numpy.float64):
        link = L.LayerNormalization(2)
    assert link.gamma.dtype == numpy.float64
    link.gamma.array[:] = [3., 4.]
    target = L.LayerNormalization()
    testing.save_and_load_npz(link, target)
    numpy.testing.assert_array_equal(target.gamma.array, [3., 4.])
