"""Tests of L.Parameter (the link holding one array)."""
import numpy
import pytest

import dynet
import dynet.links as L
from dynet import testing


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32,
                                   numpy.float64])
def test_holds_the_array_and_returns_it(dtype):
    array = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    link = L.Parameter(array)
    assert link.W.array is array  # not a copy, as in Chainer
    assert isinstance(link.W, dynet.Parameter)
    assert [name for name, _ in link.namedparams()] == ['/W']
    y = link()
    assert isinstance(y, dynet.Variable) and y is not link.W
    assert y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, array)


def test_gradient_reaches_the_parameter():
    link = L.Parameter(numpy.zeros((2, 3), numpy.float32))
    gy = numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    y = link()
    y.grad = gy
    y.backward()
    numpy.testing.assert_array_equal(link.W.grad, gy)


def test_serialization_and_device():
    src = L.Parameter(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    dst = L.Parameter(numpy.zeros((2, 3), numpy.float32))
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)
    assert str(dst.device) == '@numpy'
    dst.to_device('@numpy')
    numpy.testing.assert_array_equal(dst().array, src.W.array)


def test_errors():
    with pytest.raises(TypeError, match='Parameter: array must be a NumPy '
                       'or CuPy array, got list'):
        L.Parameter([1.0, 2.0])
    link = L.Parameter(numpy.zeros(2, numpy.float32))
    assert link(volatile='off').shape == (2,)
    with pytest.raises(ValueError, match='volatile argument is not '
                       'supported'):
        link(volatile='on')
