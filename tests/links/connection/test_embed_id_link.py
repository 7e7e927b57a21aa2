import numpy
import pytest

import dynet.functions as F
import dynet.links as L
from dynet import initializers
from dynet import testing


def test_default_initializer_is_normal_1():
    numpy.random.seed(1)
    link = L.EmbedID(5, 3)
    numpy.random.seed(1)
    expected = numpy.empty((5, 3), numpy.float32)
    initializers.Normal(1.0)(expected)
    numpy.testing.assert_array_equal(link.W.array, expected)
    assert [name for name, _ in link.namedparams()] == ['/W']


def test_forward_ignore_label_and_gradients():
    link = L.EmbedID(4, 2, ignore_label=-1)
    x = numpy.array([[0, -1], [3, 0]], numpy.int32)
    y = link(x)
    assert y.shape == (2, 2, 2)
    numpy.testing.assert_array_equal(
        y.array, F.embed_id(x, link.W.array, ignore_label=-1).array)
    numpy.testing.assert_array_equal(y.array[0, 1], 0)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(link.W.grad,
                                     [[2, 2], [0, 0], [0, 0], [1, 1]])


def test_initialW_and_from_params():
    w = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
    link = L.EmbedID(3, 2, initialW=w)
    numpy.testing.assert_array_equal(link.W.array, w)
    link = L.EmbedID.from_params(w, ignore_label=0)
    assert link.ignore_label == 0 and link.W.shape == (3, 2)
    numpy.testing.assert_array_equal(link.W.array, w)
    assert link.W.array is not w


def test_out_of_range_id():
    with pytest.raises(ValueError, match='0 <= x < len'):
        L.EmbedID(3, 2)(numpy.array([3], numpy.int32))


def test_serialization_round_trip():
    src, dst = L.EmbedID(3, 2), L.EmbedID(3, 2)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)
