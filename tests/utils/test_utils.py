import subprocess
import sys

import numpy
import pytest

import dynet.utils
from dynet import utils


class _FakeCupyArray:
    """Stands in for cupy.ndarray: recognised by its module name only."""

    def __init__(self, dtype='f'):
        self.dtype = numpy.dtype(dtype)
        self.astype_calls = []

    def astype(self, dtype, copy=True):
        self.astype_calls.append((numpy.dtype(dtype), copy))
        return self


_FakeCupyArray.__module__ = 'cupy'


def test_type_check_is_importable():
    from dynet.utils import type_check
    assert dynet.utils.type_check is type_check
    assert hasattr(type_check, 'expect')


def test_import_does_not_load_cupy():
    code = ('import sys, dynet.utils, dynet.utils.type_check; '
            'print("cupy" in sys.modules)')
    out = subprocess.run([sys.executable, '-c', code], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == 'False'


# --- force_array ------------------------------------------------------------

def test_force_array_numpy_scalar():
    s = numpy.float32(2.5) * numpy.float32(2)
    assert not isinstance(s, numpy.ndarray)
    y = utils.force_array(s)
    assert isinstance(y, numpy.ndarray)
    assert y.shape == ()
    assert y.dtype == numpy.float32
    assert y == 5.0


def test_force_array_reduction_result():
    y = utils.force_array(numpy.arange(4, dtype=numpy.float64).sum())
    assert type(y) is numpy.ndarray
    assert y.ndim == 0 and y.dtype == numpy.float64 and float(y) == 6.0


def test_force_array_python_scalars():
    y = utils.force_array(3)
    assert type(y) is numpy.ndarray and y.shape == () and y.dtype.kind == 'i'
    y = utils.force_array(1.5)
    assert y.dtype == numpy.float64 and float(y) == 1.5
    y = utils.force_array(True)
    assert y.dtype == numpy.bool_


def test_force_array_keeps_arrays():
    x = numpy.ones((2, 3), numpy.float32)
    assert utils.force_array(x) is x
    z = numpy.array(1.0, numpy.float32)
    assert utils.force_array(z) is z


def test_force_array_dtype():
    x = numpy.ones((2,), numpy.float32)
    assert utils.force_array(x, numpy.float32) is x
    y = utils.force_array(x, numpy.float64)
    assert y.dtype == numpy.float64 and y.shape == (2,)
    s = utils.force_array(numpy.float64(1.25), numpy.float16)
    assert type(s) is numpy.ndarray and s.dtype == numpy.float16
    assert s.shape == () and float(s) == 1.25
    assert utils.force_array(2, 'f').dtype == numpy.float32


def test_force_array_cupy_kept():
    g = _FakeCupyArray()
    assert utils.force_array(g) is g
    assert g.astype_calls == []
    assert utils.force_array(g, numpy.float16) is g
    assert g.astype_calls == [(numpy.dtype(numpy.float16), False)]


# --- force_type -------------------------------------------------------------

def test_force_type_scalar():
    v = utils.force_type(numpy.dtype(numpy.float32), 1)
    assert type(v) is numpy.float32 and v == 1
    v = utils.force_type(numpy.float16, 2.5)
    assert type(v) is numpy.float16 and v == 2.5


def test_force_type_array():
    x = numpy.ones((2,), numpy.float32)
    assert utils.force_type(numpy.dtype('f'), x) is x
    y = utils.force_type(numpy.dtype('d'), x)
    assert y.dtype == numpy.float64
    numpy.testing.assert_array_equal(y, [1.0, 1.0])


# --- size_of_shape ----------------------------------------------------------

@pytest.mark.parametrize('shape, size', [
    ((), 1), ((3,), 3), ((2, 3, 4), 24), ((5, 0, 2), 0),
    ((numpy.int64(2), 3), 6), ([4, 4], 16),
])
def test_size_of_shape(shape, size):
    result = utils.size_of_shape(shape)
    assert result == size
    assert type(result) is int


# --- sum_to -----------------------------------------------------------------

def _reference_sum_to(x, shape):
    """Sum over every element of x that broadcast_to maps onto each target
    element, computed by brute force."""
    out = numpy.zeros(shape, dtype=numpy.float64)
    lead = x.ndim - len(shape)
    for idx in numpy.ndindex(*x.shape):
        target = tuple(0 if s == 1 else i
                       for i, s in zip(idx[lead:], shape))
        out[target] += x[idx]
    return out


@pytest.mark.parametrize('x_shape, shape', [
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((2, 3), (1, 3)),
    ((2, 3), (2, 1)),
    ((2, 3), ()),
    ((2, 3), (1,)),
    ((4, 2, 3), (2, 1)),
    ((4, 2, 3), (1, 1, 3)),
    ((4, 1, 3), (1, 3)),
    ((5,), (1,)),
    ((0, 3), (1, 3)),
    ((3, 0), (0,)),
])
def test_sum_to_matches_reference(x_shape, shape):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, x_shape).astype(numpy.float32)
    y = utils.sum_to(x, shape)
    assert isinstance(y, numpy.ndarray)
    assert y.shape == shape
    assert y.dtype == numpy.float32
    numpy.testing.assert_allclose(y, _reference_sum_to(x, shape),
                                  rtol=1e-5, atol=1e-6)
    # Round trip: broadcasting back gives x's shape.
    assert numpy.broadcast_to(y, x_shape).shape == x_shape


def test_sum_to_same_shape_returns_input():
    x = numpy.ones((2, 3))
    assert utils.sum_to(x, (2, 3)) is x


def test_sum_to_int_shape():
    x = numpy.arange(6.0).reshape(2, 3)
    y = utils.sum_to(x, 3)
    numpy.testing.assert_array_equal(y, [3.0, 5.0, 7.0])


def test_sum_to_keeps_integer_dtype_and_sums_bool():
    x = numpy.ones((4, 2), numpy.int8)
    y = utils.sum_to(x, (2,))
    assert y.dtype == numpy.int8
    numpy.testing.assert_array_equal(y, [4, 4])
    b = numpy.ones((3, 2), bool)
    numpy.testing.assert_array_equal(utils.sum_to(b, (1, 2)), [[3, 3]])


@pytest.mark.parametrize('x_shape, shape', [
    ((2, 3), (2,)),
    ((2, 3), (4, 2, 3)),
    ((2, 3), (2, 2)),
])
def test_sum_to_rejects_non_broadcastable(x_shape, shape):
    with pytest.raises(ValueError, match='cannot sum'):
        utils.sum_to(numpy.zeros(x_shape), shape)
