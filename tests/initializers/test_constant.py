"""Identity, Constant, Zero, One, NaN."""
import numpy
import pytest

from dynet import initializers

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
class TestIdentity:

    def test_values(self, dtype):
        a = numpy.full((4, 4), 9, dtype)
        initializers.Identity(dtype=dtype)(a)
        assert a.dtype == dtype
        numpy.testing.assert_array_equal(a, numpy.eye(4))

    def test_scale(self, dtype):
        a = numpy.empty((3, 3), dtype)
        initializers.Identity(scale=2.5)(a)
        numpy.testing.assert_array_equal(a, 2.5 * numpy.eye(3))

    @pytest.mark.parametrize('shape', [(3, 4), (3,), (2, 2, 2), ()])
    def test_not_square_matrix(self, dtype, shape):
        with pytest.raises(ValueError, match='square'):
            initializers.Identity()(numpy.empty(shape, dtype))


def test_identity_defaults():
    init = initializers.Identity()
    assert init.scale == 1.0 and init.dtype is None


@pytest.mark.parametrize('dtype', DTYPES)
class TestConstant:

    def test_scalar(self, dtype):
        a = numpy.empty((2, 3), dtype)
        initializers.Constant(0.5)(a)
        numpy.testing.assert_array_equal(a, numpy.full((2, 3), 0.5))
        assert a.dtype == dtype

    def test_numpy_scalar(self, dtype):
        a = numpy.empty((2,), dtype)
        initializers.Constant(numpy.float64(-3))(a)
        numpy.testing.assert_array_equal(a, [-3, -3])

    def test_array_broadcast(self, dtype):
        a = numpy.empty((2, 3), dtype)
        initializers.Constant(numpy.array([1., 2., 3.]))(a)
        numpy.testing.assert_array_equal(a, [[1, 2, 3], [1, 2, 3]])

    def test_same_shape_array(self, dtype):
        value = numpy.arange(6, dtype=numpy.float64).reshape(2, 3)
        a = numpy.empty((2, 3), dtype)
        initializers.Constant(value)(a)
        numpy.testing.assert_array_equal(a, value)
        assert a.dtype == dtype

    def test_with_dtype(self, dtype):
        a = numpy.empty((2,), dtype)
        initializers.Constant(4, dtype=dtype)(a)
        numpy.testing.assert_array_equal(a, [4, 4])

    def test_dtype_mismatch(self, dtype):
        other = numpy.float64 if dtype != numpy.float64 else numpy.float32
        init = initializers.Constant(1, dtype=other)
        with pytest.raises(AssertionError) as info:
            init(numpy.empty((2,), dtype))
        # The message names both dtypes, and it is a ValueError as well.
        assert numpy.dtype(dtype).name in str(info.value)
        assert numpy.dtype(other).name in str(info.value)
        assert isinstance(info.value, ValueError)


def test_constant_into_int_array():
    a = numpy.empty(3, numpy.int32)
    initializers.Constant(2.7)(a)
    numpy.testing.assert_array_equal(a, [2, 2, 2])
    initializers.Constant(numpy.array([1.9, 2.1, 3.5]))(a)
    numpy.testing.assert_array_equal(a, [1, 2, 3])


def test_constant_array_not_broadcastable():
    with pytest.raises(ValueError):
        initializers.Constant(numpy.arange(3.))(numpy.empty((3, 4)))


@pytest.mark.parametrize('value', [[1, 2], (1.0,), None, {'x': 1}])
def test_constant_bad_fill_value(value):
    with pytest.raises(ValueError, match='fill_value'):
        initializers.Constant(value)


def test_constant_attributes():
    init = initializers.Constant(3, dtype=numpy.float16)
    assert init.fill_value == 3 and init.dtype is numpy.float16


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('cls, value', [
    (initializers.Zero, 0.0), (initializers.One, 1.0)])
def test_zero_one(cls, value, dtype):
    a = numpy.full((3, 2), 5, dtype)
    init = cls(dtype)
    init(a)
    assert init.fill_value == value and init.dtype is dtype
    numpy.testing.assert_array_equal(a, numpy.full((3, 2), value))
    assert a.dtype == dtype
    assert isinstance(init, initializers.Initializer)


@pytest.mark.parametrize('dtype', DTYPES)
def test_nan(dtype):
    a = numpy.zeros((2, 2), dtype)
    initializers.NaN()(a)
    assert numpy.isnan(a).all()
    assert numpy.isnan(initializers.NaN().fill_value)


@pytest.mark.parametrize('cls', [initializers.Zero, initializers.One,
                                 initializers.NaN, initializers.Identity])
def test_fixed_dtype_mismatch(cls):
    with pytest.raises(AssertionError, match='float64.*float32'):
        cls(dtype=numpy.float32)(numpy.empty((2, 2), numpy.float64))


def test_zero_dim_arrays():
    a = numpy.empty((), numpy.float32)
    initializers.One()(a)
    assert a == 1
    initializers.Constant(numpy.array(4.))(a)
    assert a == 4


@pytest.mark.gpu
def test_constant_on_gpu():
    cupy = pytest.importorskip('cupy')
    a = cupy.empty((2, 3), numpy.float32)
    initializers.Constant(numpy.array([1., 2., 3.]))(a)
    numpy.testing.assert_array_equal(cupy.asnumpy(a), [[1, 2, 3]] * 2)
    b = cupy.empty((3, 3), numpy.float16)
    initializers.Identity(2.)(b)
    numpy.testing.assert_array_equal(cupy.asnumpy(b), 2 * numpy.eye(3))
    initializers.Zero()(a)
    assert float(abs(a).sum()) == 0
