import numpy
import pytest

import dynet.functions as F
import dynet.links as L
from dynet import testing


def test_structure_and_forward():
    link = L.Maxout(3, 2, 4)
    assert sorted(n for n, _ in link.namedparams()) == \
        ['/linear/W', '/linear/b']
    assert link.linear.W.shape == (8, 3)
    numpy.testing.assert_array_equal(link.linear.b.array, 0)
    x = numpy.random.uniform(-1, 1, (5, 3)).astype(numpy.float32)
    y = link(x)
    h = x @ link.linear.W.array.T + link.linear.b.array
    numpy.testing.assert_allclose(y.array, h.reshape(5, 2, 4).max(axis=2),
                                  rtol=1e-6)
    F.sum(y).backward()
    assert link.linear.W.grad.shape == (8, 3)


def test_array_initializers_are_reshaped():
    W = numpy.arange(2 * 3 * 4, dtype=numpy.float32).reshape(2, 3, 4)
    b = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    link = L.Maxout(4, 2, 3, initialW=W, initial_bias=b)
    numpy.testing.assert_array_equal(link.linear.W.array, W.reshape(6, 4))
    numpy.testing.assert_array_equal(link.linear.b.array, b.ravel())
    with pytest.raises(ValueError, match='initialW.ndim should be 3'):
        L.Maxout(4, 2, 3, initialW=W.reshape(6, 4))
    with pytest.raises(ValueError, match='initial_bias.ndim should be 2'):
        L.Maxout(4, 2, 3, initial_bias=b.ravel())


def test_no_bias_deferred_and_serialization():
    link = L.Maxout(None, 2, 2, initial_bias=None)
    assert link.linear.b is None
    assert link(numpy.ones((1, 5), numpy.float32)).shape == (1, 2)
    assert link.linear.W.shape == (4, 5)
    src, dst = L.Maxout(3, 2, 2), L.Maxout(3, 2, 2)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.linear.W.array, src.linear.W.array)
