import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import initializers


def test_explicit_sizes_and_default_initializers():
    numpy.random.seed(0)
    link = L.Linear(4, 3)
    assert link.W.shape == (3, 4) and link.b.shape == (3,)
    assert link.W.dtype == numpy.float32
    numpy.testing.assert_array_equal(link.b.array, 0)
    numpy.random.seed(0)
    expected = initializers.LeCunNormal()
    w = numpy.empty((3, 4), numpy.float32)
    expected(w)
    numpy.testing.assert_array_equal(link.W.array, w)


def test_deferred_in_size_and_forward():
    link = L.Linear(3)
    assert link.W.array is None and link.in_size is None
    x = numpy.random.uniform(-1, 1, (2, 2, 2)).astype(numpy.float32)
    y = link(x)
    assert link.W.shape == (3, 4) and link.in_size == 4
    numpy.testing.assert_allclose(
        y.array, x.reshape(2, 4) @ link.W.array.T + link.b.array,
        rtol=1e-6)


def test_n_batch_axes_and_nobias():
    link = L.Linear(None, 5, nobias=True, initialW=initializers.One())
    assert link.b is None
    y = link(numpy.ones((2, 3, 4), numpy.float32), n_batch_axes=2)
    assert y.shape == (2, 3, 5)
    numpy.testing.assert_array_equal(y.array, 4)
    assert [n for n, _ in link.namedparams()] == ['/W']


def test_initializer_forms():
    link = L.Linear(2, 2, initialW=numpy.eye(2, dtype=numpy.float32),
                    initial_bias=0.5)
    numpy.testing.assert_array_equal(link.W.array, numpy.eye(2))
    numpy.testing.assert_array_equal(link.b.array, [0.5, 0.5])
    link = L.Linear(2, 2, initialW=2.0)
    numpy.testing.assert_array_equal(link.W.array, 2)


def test_gradients_reach_parameters():
    link = L.Linear(3, 2)
    x = numpy.ones((4, 3), numpy.float32)
    F.sum(link(x)).backward()
    numpy.testing.assert_allclose(link.W.grad, numpy.full((2, 3), 4))
    numpy.testing.assert_allclose(link.b.grad, [4, 4])


def test_repr_and_copy():
    link = L.Linear(3, 2)
    assert repr(link) == 'Linear(in_size=3, out_size=2, nobias=False)'
    clone = link.copy('copy')
    numpy.testing.assert_array_equal(clone.W.array, link.W.array)
    assert clone.W.array is not link.W.array


def test_float64_config():
    with dynet.using_config('dtype', numpy.float64):
        link = L.Linear(2, 3)
    assert link.W.dtype == numpy.float64 and link.b.dtype == numpy.float64


def test_wrong_input_size_is_a_clear_error():
    link = L.Linear(3, 2)
    with pytest.raises(TypeError, match=r'x.shape\[1\] == W.shape\[1\]'):
        link(numpy.ones((1, 4), numpy.float32))
