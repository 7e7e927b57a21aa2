"""Uniform, LeCunUniform, GlorotUniform, HeUniform."""
import numpy
import pytest

from dynet import initializers

DTYPES = [numpy.float16, numpy.float32, numpy.float64]

# (initializer, shape, expected half-width of the interval)
CASES = [
    (initializers.Uniform(), (200, 300), 0.05),
    (initializers.Uniform(scale=2.), (200, 300), 2.),
    (initializers.LeCunUniform(), (200, 300), numpy.sqrt(3. / 300)),
    (initializers.LeCunUniform(scale=2.), (64, 32, 3, 3),
     2. * numpy.sqrt(3. / (32 * 9))),
    (initializers.GlorotUniform(), (200, 300), numpy.sqrt(6. / 500)),
    (initializers.GlorotUniform(scale=0.5), (64, 32, 3, 3),
     0.5 * numpy.sqrt(6. / (96 * 9))),
    (initializers.HeUniform(), (200, 300), numpy.sqrt(6. / 300)),
    (initializers.HeUniform(scale=3.), (64, 32, 3, 3),
     3. * numpy.sqrt(6. / (32 * 9))),
]


def _ids(case):
    return type(case).__name__ if isinstance(
        case, initializers.Initializer) else None


@pytest.mark.parametrize('init, shape, limit', CASES, ids=_ids)
@pytest.mark.parametrize('dtype', DTYPES)
def test_statistics(init, shape, limit, dtype):
    numpy.random.seed(0)
    a = numpy.empty(shape, dtype)
    init(a)
    assert a.dtype == dtype and a.shape == shape
    values = a.astype(numpy.float64)
    # float16 rounding may reach the bound itself.
    tol = limit * (1e-3 if dtype == numpy.float16 else 1e-7)
    assert values.min() >= -limit - tol and values.max() <= limit + tol
    assert values.min() < -0.99 * limit and values.max() > 0.99 * limit
    assert abs(values.mean()) < 0.02 * limit
    assert abs(values.std() / (limit / numpy.sqrt(3)) - 1) < 0.02
    # Uniform: a quarter of the draws in each quarter of the interval.
    assert abs((values > limit / 2).mean() - 0.25) < 0.01


def test_defaults():
    u = initializers.Uniform()
    assert (u.scale, u.dtype, u.rng) == (0.05, None, None)
    for cls in (initializers.LeCunUniform, initializers.GlorotUniform,
                initializers.HeUniform):
        init = cls()
        assert (init.scale, init.dtype, init.rng) == (1.0, None, None)


@pytest.mark.parametrize('cls', [initializers.Uniform,
                                 initializers.LeCunUniform,
                                 initializers.GlorotUniform,
                                 initializers.HeUniform])
@pytest.mark.parametrize('dtype', DTYPES)
def test_reproducible_with_global_seed(cls, dtype):
    numpy.random.seed(12)
    a = numpy.empty((5, 7), dtype)
    cls()(a)
    numpy.random.seed(12)
    b = numpy.empty((5, 7), dtype)
    cls()(b)
    numpy.testing.assert_array_equal(a, b)


@pytest.mark.parametrize('dtype', DTYPES)
def test_draws_from_numpy_random_in_float64(dtype):
    numpy.random.seed(5)
    a = numpy.empty((3, 8, 2), dtype)
    initializers.GlorotUniform(scale=1.5)(a)
    numpy.random.seed(5)
    limit = 1.5 * numpy.sqrt(6. / (16 + 6))
    expected = numpy.random.uniform(low=-limit, high=limit, size=(3, 8, 2))
    numpy.testing.assert_array_equal(a, expected.astype(dtype))


def test_same_numbers_as_chainer():
    # Values produced by Chainer 7.8.1.
    numpy.random.seed(0)
    a = numpy.empty((2, 3), numpy.float32)
    initializers.GlorotUniform()(a)
    numpy.testing.assert_array_equal(a, numpy.array(
        [[0.10694503039121628, 0.47145628929138184, 0.22514328360557556],
         [0.09833412617444992, -0.1672639548778534, 0.3196379840373993]],
        numpy.float32))
    b = numpy.empty((2, 2), numpy.float32)
    initializers.Uniform(rng=numpy.random.RandomState(7))(b)
    numpy.testing.assert_array_equal(b, numpy.array(
        [[-0.04236917197704315, 0.027991879731416702],
         [-0.0061590769328176975, 0.02234651707112789]], numpy.float32))


@pytest.mark.parametrize('cls', [initializers.Uniform,
                                 initializers.LeCunUniform,
                                 initializers.GlorotUniform,
                                 initializers.HeUniform])
def test_rng(cls):
    numpy.random.seed(0)
    state = numpy.random.get_state()[1].copy()
    a = numpy.empty((4, 6), numpy.float32)
    cls(rng=numpy.random.RandomState(9))(a)
    b = numpy.empty((4, 6), numpy.float32)
    cls(rng=numpy.random.RandomState(9))(b)
    numpy.testing.assert_array_equal(a, b)
    numpy.testing.assert_array_equal(numpy.random.get_state()[1], state)


def test_rng_values():
    a = numpy.empty((3, 4), numpy.float64)
    initializers.HeUniform(rng=numpy.random.RandomState(2))(a)
    limit = numpy.sqrt(6. / 4)
    expected = numpy.random.RandomState(2).uniform(-limit, limit, (3, 4))
    numpy.testing.assert_array_equal(a, expected)


@pytest.mark.parametrize('cls', [initializers.LeCunUniform,
                                 initializers.GlorotUniform,
                                 initializers.HeUniform])
@pytest.mark.parametrize('shape', [(), (5,)])
def test_fans_need_two_axes(cls, shape):
    with pytest.raises(ValueError, match='at least 2 axes'):
        cls()(numpy.empty(shape, numpy.float32))


@pytest.mark.parametrize('cls', [initializers.Uniform,
                                 initializers.LeCunUniform,
                                 initializers.GlorotUniform,
                                 initializers.HeUniform])
def test_dtype_mismatch(cls):
    with pytest.raises(AssertionError, match='float64.*float16'):
        cls(dtype=numpy.float16)(numpy.empty((2, 3), numpy.float64))


@pytest.mark.gpu
@pytest.mark.parametrize('dtype', DTYPES)
def test_gpu(dtype):
    cupy = pytest.importorskip('cupy')
    cupy.random.seed(0)
    a = cupy.empty((200, 300), dtype)
    initializers.GlorotUniform()(a)
    limit = numpy.sqrt(6. / 500)
    assert float(abs(a).max()) <= limit * 1.001
    assert abs(float(a.astype(numpy.float64).std()) /
               (limit / numpy.sqrt(3)) - 1) < 0.02
