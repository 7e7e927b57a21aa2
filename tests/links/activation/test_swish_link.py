import numpy

import dynet.functions as F
import dynet.links as L
from dynet import testing


def test_explicit_shape():
    link = L.Swish((3,), beta_init=0.5)
    numpy.testing.assert_array_equal(link.beta.array, [0.5] * 3)
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    y = link(x)
    numpy.testing.assert_allclose(
        y.array, x / (1 + numpy.exp(-0.5 * x)), rtol=1e-6)


def test_deferred_shape_is_trailing_shape_and_gradients():
    link = L.Swish(None)
    assert link.beta.array is None
    x = numpy.random.uniform(-1, 1, (2, 3, 4)).astype(numpy.float32)
    y = link(x)
    assert link.beta.shape == (3, 4)
    numpy.testing.assert_array_equal(link.beta.array, 1)
    numpy.testing.assert_allclose(y.array, F.swish(x, link.beta.array).array)
    F.sum(y).backward()
    assert link.beta.grad.shape == (3, 4)


def test_serialization_round_trip():
    src = L.Swish((2,), beta_init=2.0)
    dst = L.Swish((2,))
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.beta.array, [2, 2])


def test_load_into_deferred_link():
    src = L.Swish((2,), beta_init=3.0)
    dst = L.Swish(None)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.beta.array, [3, 3])
