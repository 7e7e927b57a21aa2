import numpy
import pytest

from dynet import testing


class _Holder(object):
    """A minimal Variable look-alike."""

    def __init__(self, array):
        self.array = array


class _FakeGpuArray(object):
    """Looks like a CuPy array: defined in a 'cupy' module, has .get()."""

    def __init__(self, data):
        self._data = numpy.asarray(data)
        self.got = False

    def get(self):
        self.got = True
        return self._data

    def __array__(self, *args, **kwargs):
        raise TypeError('implicit conversion to NumPy is not allowed')


_FakeGpuArray.__module__ = 'cupy._core.core'


def test_passes_when_close():
    x = numpy.array([1.0, 2.0, 3.0], numpy.float32)
    testing.assert_allclose(x, x + 1e-6)
    testing.assert_allclose(x, x.astype(numpy.float64))


def test_default_tolerances():
    y = numpy.array([100.0])
    # atol + rtol * |y| = 1e-5 + 1e-2
    testing.assert_allclose(y + 0.0100, y)
    with pytest.raises(AssertionError):
        testing.assert_allclose(y + 0.0102, y)
    testing.assert_allclose(y + 0.5, y, atol=0, rtol=1e-2)
    with pytest.raises(AssertionError):
        testing.assert_allclose(y + 0.5, y, atol=0.1, rtol=0)


def test_failure_reports_worst_element():
    x = numpy.zeros((2, 3), numpy.float32)
    y = numpy.zeros((2, 3), numpy.float32)
    x[0, 1] = 0.5
    x[1, 2] = 7.0   # the worst one
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(x, y)
    message = str(info.value)
    assert 'shape: x (2, 3) y (2, 3)' in message
    assert 'dtype: x float32 y float32' in message
    assert 'mismatched elements: 2 / 6' in message
    assert 'max absolute error: 7.0' in message
    assert 'index i: (1, 2)' in message
    assert 'x[i]: 7.0' in message
    assert 'y[i]: 0.0' in message
    assert 'relative error |x[i] - y[i]| / |y[i]|: inf' in message
    # Both arrays are printed.
    assert 'x: [[0.  0.5 0. ]' in message
    assert 'y: [[0. 0. 0.]' in message


def test_worst_element_is_relative_to_tolerance():
    # |err| is larger at index 0, but index 1 exceeds its tolerance more.
    x = numpy.array([1000.5, 0.3])
    y = numpy.array([1000.0, 0.0])
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(x, y, atol=0.01, rtol=1e-3)
    message = str(info.value)
    assert 'index i: (1,)' in message
    assert 'max absolute error: 0.5' in message


def test_accepts_objects_with_array():
    x = _Holder(numpy.arange(4.0))
    testing.assert_allclose(x, numpy.arange(4.0))
    testing.assert_allclose(numpy.arange(4.0), x)
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(x, _Holder(numpy.arange(4.0) + 1))
    assert 'shape: x (4,) y (4,)' in str(info.value)


def test_accepts_scalars():
    testing.assert_allclose(1.0, 1.0 + 1e-7)
    testing.assert_allclose(numpy.float32(2.0), 2)
    testing.assert_allclose(numpy.ones((2, 2)), 1.0)  # broadcast scalar
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(1.0, 2.0)
    assert 'index i: ()' in str(info.value)


def test_accepts_gpu_arrays_without_cupy():
    x = _FakeGpuArray([1.0, 2.0])
    testing.assert_allclose(x, numpy.array([1.0, 2.0]))
    assert x.got
    with pytest.raises(AssertionError):
        testing.assert_allclose(numpy.array([1.0, 3.0]), _FakeGpuArray([1, 2]))


def test_nan_handling():
    nan = numpy.nan
    testing.assert_allclose(numpy.array([1.0, nan]), numpy.array([1.0, nan]))
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(numpy.array([nan, 1.0, 1.0]),
                                numpy.array([0.0, 1.0, 1.0]))
    assert 'index i: (0,)' in str(info.value)


def test_shape_mismatch():
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(numpy.zeros(3), numpy.zeros(4))
    assert 'shape: x (3,) y (4,)' in str(info.value)


def test_verbose_false_omits_arrays():
    x = numpy.array([123.25, 1.0])
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(x, numpy.zeros(2), verbose=False)
    message = str(info.value)
    assert 'index i: (0,)' in message
    assert 'x: [' not in message


def test_integer_and_bool_arrays():
    testing.assert_allclose(numpy.array([1, 2]), numpy.array([1, 2]))
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(numpy.array([True, False]),
                                numpy.array([True, True]))
    assert 'index i: (1,)' in str(info.value)
