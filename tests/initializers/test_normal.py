"""Normal, LeCunNormal, GlorotNormal, HeNormal."""
import numpy
import pytest

from dynet import initializers

DTYPES = [numpy.float16, numpy.float32, numpy.float64]

# (initializer, shape, expected standard deviation)
CASES = [
    (initializers.Normal(), (200, 300), 0.05),
    (initializers.Normal(scale=0.3), (200, 300), 0.3),
    (initializers.LeCunNormal(), (200, 300), numpy.sqrt(1. / 300)),
    (initializers.LeCunNormal(scale=2.), (64, 32, 3, 3),
     2. * numpy.sqrt(1. / (32 * 9))),
    (initializers.GlorotNormal(), (200, 300), numpy.sqrt(2. / 500)),
    (initializers.GlorotNormal(scale=0.5), (64, 32, 3, 3),
     0.5 * numpy.sqrt(2. / (96 * 9))),
    (initializers.HeNormal(), (200, 300), numpy.sqrt(2. / 300)),
    (initializers.HeNormal(fan_option='fan_out'), (200, 300),
     numpy.sqrt(2. / 200)),
    (initializers.HeNormal(scale=3., fan_option='fan_out'), (64, 32, 3, 3),
     3. * numpy.sqrt(2. / (64 * 9))),
]


def _ids(case):
    return type(case).__name__ if isinstance(
        case, initializers.Initializer) else None


@pytest.mark.parametrize('init, shape, std', CASES, ids=_ids)
@pytest.mark.parametrize('dtype', DTYPES)
def test_statistics(init, shape, std, dtype):
    numpy.random.seed(0)
    a = numpy.empty(shape, dtype)
    init(a)
    assert a.dtype == dtype and a.shape == shape
    values = a.astype(numpy.float64)
    assert abs(values.mean()) < 0.02 * std
    assert abs(values.std() / std - 1) < 0.02
    # Gaussian: about 68.3% of draws within one standard deviation.
    assert abs((abs(values) < std).mean() - 0.6827) < 0.01


def test_defaults():
    n = initializers.Normal()
    assert (n.scale, n.dtype, n.rng) == (0.05, None, None)
    for cls in (initializers.LeCunNormal, initializers.GlorotNormal,
                initializers.HeNormal):
        init = cls()
        assert (init.scale, init.dtype, init.rng) == (1.0, None, None)
    assert initializers.HeNormal().fan_option == 'fan_in'


@pytest.mark.parametrize('cls', [initializers.Normal,
                                 initializers.LeCunNormal,
                                 initializers.GlorotNormal,
                                 initializers.HeNormal])
@pytest.mark.parametrize('dtype', DTYPES)
def test_reproducible_with_global_seed(cls, dtype):
    numpy.random.seed(12)
    a = numpy.empty((5, 7), dtype)
    cls()(a)
    numpy.random.seed(12)
    b = numpy.empty((5, 7), dtype)
    cls()(b)
    numpy.testing.assert_array_equal(a, b)
    c = numpy.empty((5, 7), dtype)
    cls()(c)
    assert not numpy.array_equal(b, c)


@pytest.mark.parametrize('dtype', DTYPES)
def test_draws_from_numpy_random_in_float64(dtype):
    numpy.random.seed(5)
    a = numpy.empty((3, 8, 2), dtype)
    initializers.HeNormal(scale=1.5)(a)
    numpy.random.seed(5)
    expected = numpy.random.normal(
        loc=0.0, scale=1.5 * numpy.sqrt(2. / 16), size=(3, 8, 2))
    numpy.testing.assert_array_equal(a, expected.astype(dtype))


def test_same_numbers_as_chainer():
    # Values produced by Chainer 7.8.1 after numpy.random.seed(0).
    numpy.random.seed(0)
    a = numpy.empty((2, 3), numpy.float32)
    initializers.HeNormal()(a)
    numpy.testing.assert_array_equal(a, numpy.array(
        [[1.440342664718628, 0.3267270028591156, 0.799136221408844],
         [1.829681634902954, 1.5248546600341797, -0.7979440689086914]],
        numpy.float32))
    numpy.random.seed(0)
    b = numpy.empty((2, 3), numpy.float16)
    initializers.LeCunNormal()(b)
    numpy.testing.assert_array_equal(b, numpy.array(
        [[1.0185546875, 0.2310791015625, 0.56494140625],
         [1.2939453125, 1.078125, -0.564453125]], numpy.float16))


@pytest.mark.parametrize('cls', [initializers.Normal,
                                 initializers.LeCunNormal,
                                 initializers.GlorotNormal,
                                 initializers.HeNormal])
def test_rng(cls):
    numpy.random.seed(0)
    state = numpy.random.get_state()[1].copy()
    a = numpy.empty((4, 6), numpy.float32)
    cls(rng=numpy.random.RandomState(9))(a)
    b = numpy.empty((4, 6), numpy.float32)
    init = cls(rng=numpy.random.RandomState(9))
    init(b)
    numpy.testing.assert_array_equal(a, b)
    # The global generator was not used.
    numpy.testing.assert_array_equal(numpy.random.get_state()[1], state)
    # The rng advances: a second fill differs.
    c = numpy.empty((4, 6), numpy.float32)
    init(c)
    assert not numpy.array_equal(b, c)


def test_rng_values():
    a = numpy.empty((3, 4), numpy.float64)
    initializers.GlorotNormal(rng=numpy.random.RandomState(2))(a)
    expected = numpy.random.RandomState(2).normal(
        0.0, numpy.sqrt(2. / 7), (3, 4))
    numpy.testing.assert_array_equal(a, expected)


def test_rng_numpy_generator():
    a = numpy.empty((50, 40), numpy.float32)
    initializers.Normal(0.1, rng=numpy.random.default_rng(0))(a)
    assert abs(a.std() - 0.1) < 0.005


def test_rng_is_keyword_only():
    with pytest.raises(TypeError):
        initializers.Normal(0.1, None, numpy.random.RandomState(0))
    with pytest.raises(TypeError):
        initializers.Normal(foo=1)


@pytest.mark.parametrize('cls', [initializers.LeCunNormal,
                                 initializers.GlorotNormal,
                                 initializers.HeNormal])
@pytest.mark.parametrize('shape', [(), (5,)])
def test_fans_need_two_axes(cls, shape):
    with pytest.raises(ValueError, match='at least 2 axes'):
        cls()(numpy.empty(shape, numpy.float32))


def test_normal_accepts_any_shape():
    a = numpy.empty((), numpy.float32)
    initializers.Normal()(a)
    b = numpy.empty((7,), numpy.float32)
    initializers.Normal()(b)
    assert numpy.isfinite(b).all()


def test_he_normal_bad_fan_option():
    init = initializers.HeNormal(fan_option='fan_avg')  # checked on call
    with pytest.raises(ValueError, match='fan_option'):
        init(numpy.empty((3, 4), numpy.float32))


@pytest.mark.parametrize('cls', [initializers.Normal,
                                 initializers.LeCunNormal,
                                 initializers.GlorotNormal,
                                 initializers.HeNormal])
def test_dtype_mismatch(cls):
    with pytest.raises(AssertionError, match='float16.*float32'):
        cls(dtype=numpy.float32)(numpy.empty((2, 3), numpy.float16))
    with pytest.raises(ValueError):
        cls(dtype='float64')(numpy.empty((2, 3), numpy.float32))


def test_dtype_match_with_string_and_type():
    a = numpy.empty((2, 3), numpy.float16)
    initializers.GlorotNormal(dtype='float16')(a)
    initializers.GlorotNormal(dtype=numpy.dtype(numpy.float16))(a)
    initializers.GlorotNormal(dtype=numpy.float16)(a)


def test_generate_array_float16():
    numpy.random.seed(0)
    a = initializers.generate_array(
        initializers.HeNormal(dtype=numpy.float16), (100, 100), numpy)
    assert a.dtype == numpy.float16
    assert abs(a.astype(numpy.float64).std() / numpy.sqrt(0.02) - 1) < 0.03


@pytest.mark.gpu
@pytest.mark.parametrize('dtype', DTYPES)
def test_gpu(dtype):
    cupy = pytest.importorskip('cupy')
    cupy.random.seed(0)
    a = cupy.empty((200, 300), dtype)
    initializers.HeNormal(dtype=dtype)(a)
    assert a.dtype == dtype
    assert abs(float(a.astype(numpy.float64).std()) /
               numpy.sqrt(2. / 300) - 1) < 0.02
    cupy.random.seed(0)
    b = cupy.empty((200, 300), dtype)
    initializers.HeNormal(dtype=dtype)(b)
    cupy.testing.assert_array_equal(a, b)
    c = cupy.empty((20, 30), dtype)
    initializers.Normal(rng=numpy.random.RandomState(1))(c)
    numpy.testing.assert_array_equal(
        cupy.asnumpy(c),
        numpy.random.RandomState(1).normal(0, 0.05, (20, 30)).astype(dtype))
