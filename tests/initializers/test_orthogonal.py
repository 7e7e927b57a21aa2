"""Orthogonal."""
import numpy
import pytest

from dynet import initializers

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
# Largest error on the Gram matrix, relative to scale ** 2.
ATOL = {numpy.float16: 2e-3, numpy.float32: 5e-7, numpy.float64: 1e-14}


def _fill(shape, dtype, **kwargs):
    a = numpy.empty(shape, dtype)
    initializers.Orthogonal(**kwargs)(a)
    assert a.dtype == dtype and a.shape == shape
    return a


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 8), (1, 5), (4, 2, 3), (8, 2, 2, 2),
                                   (30, 40)])
def test_orthonormal_rows(shape, dtype):
    numpy.random.seed(0)
    a = _fill(shape, dtype, scale=2.).reshape(shape[0], -1)
    a = a.astype(numpy.float64)
    numpy.testing.assert_allclose(a @ a.T, 4. * numpy.eye(shape[0]),
                                  atol=4. * ATOL[dtype])


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(8, 3), (5, 1), (40, 30), (6, 2, 2)])
def test_orthonormal_columns(shape, dtype):
    numpy.random.seed(0)
    a = _fill(shape, dtype, scale=0.5).reshape(shape[0], -1)
    a = a.astype(numpy.float64)
    numpy.testing.assert_allclose(a.T @ a, 0.25 * numpy.eye(a.shape[1]),
                                  atol=0.25 * ATOL[dtype])


@pytest.mark.parametrize('dtype', DTYPES)
def test_square_is_orthogonal_both_ways(dtype):
    numpy.random.seed(0)
    a = _fill((6, 6), dtype).astype(numpy.float64)
    for product in (a @ a.T, a.T @ a):
        numpy.testing.assert_allclose(product, 1.21 * numpy.eye(6),
                                      atol=1.21 * ATOL[dtype])


def test_defaults():
    init = initializers.Orthogonal()
    assert (init.scale, init.dtype, init.mode, init.rng) == \
        (1.1, None, 'auto', None)


def test_zero_dim_is_plus_or_minus_scale():
    seen = set()
    numpy.random.seed(0)
    for _ in range(20):
        seen.add(float(_fill((), numpy.float64, scale=3.)))
    assert seen == {3., -3.}


def test_one_dim_is_scaled_unit_vector():
    a = _fill((5,), numpy.float64, scale=2.)
    assert abs(numpy.linalg.norm(a) - 2.) < 1e-12


@pytest.mark.parametrize('shape', [(0, 3), (3, 0), (0,), (2, 0, 3)])
def test_empty_array(shape):
    with pytest.raises(ValueError, match='empty'):
        initializers.Orthogonal()(numpy.empty(shape, numpy.float32))


@pytest.mark.parametrize('mode, shape, ok', [
    ('auto', (3, 5), True), ('auto', (5, 3), True),
    ('projection', (3, 5), True), ('projection', (5, 3), False),
    ('projection', (4, 4), True),
    ('embedding', (5, 3), True), ('embedding', (3, 5), False),
    ('embedding', (4, 4), True),
    ('basis', (4, 4), True), ('basis', (4, 2, 2), True),
    ('basis', (3, 5), False), ('basis', (5, 3), False),
])
def test_modes(mode, shape, ok):
    init = initializers.Orthogonal(mode=mode)
    a = numpy.empty(shape, numpy.float32)
    if ok:
        init(a)
    else:
        with pytest.raises(ValueError, match=mode):
            init(a)


def test_invalid_mode():
    with pytest.raises(ValueError, match='mode'):
        initializers.Orthogonal(mode='square')


@pytest.mark.parametrize('dtype', DTYPES)
def test_reproducible_with_global_seed(dtype):
    numpy.random.seed(4)
    a = _fill((4, 6), dtype)
    numpy.random.seed(4)
    b = _fill((4, 6), dtype)
    numpy.testing.assert_array_equal(a, b)
    c = _fill((4, 6), dtype)
    assert not numpy.array_equal(b, c)


def test_same_numbers_as_chainer():
    # Values produced by Chainer 7.8.1 after numpy.random.seed(0).
    numpy.random.seed(0)
    a = _fill((2, 3), numpy.float32)
    numpy.testing.assert_allclose(a, numpy.array(
        [[0.9434900879859924, 0.21402105689048767, 0.5234706401824951],
         [0.30140337347984314, 0.6712375283241272, -0.8176773190498352]],
        numpy.float32), rtol=1e-6)
    numpy.random.seed(0)
    b = _fill((3, 2), numpy.float64)
    numpy.testing.assert_allclose(b, numpy.array(
        [[0.7058505081583469, 0.06720914248656716],
         [0.39162256438368503, 0.9451108465391502],
         [0.7472662358210426, -0.558791928109445]]), rtol=1e-12)
    numpy.random.seed(0)
    c = _fill((), numpy.float32)
    assert c == numpy.float32(-1.1)


@pytest.mark.parametrize('dtype', DTYPES)
def test_computed_in_float64_then_cast(dtype):
    numpy.random.seed(1)
    a = _fill((3, 5), dtype)
    numpy.random.seed(1)
    b = _fill((3, 5), numpy.float64)
    numpy.testing.assert_array_equal(a, b.astype(dtype))


def test_rng():
    numpy.random.seed(0)
    state = numpy.random.get_state()[1].copy()
    a = _fill((3, 7), numpy.float32, rng=numpy.random.RandomState(3))
    b = _fill((3, 7), numpy.float32, rng=numpy.random.RandomState(3))
    numpy.testing.assert_array_equal(a, b)
    numpy.testing.assert_array_equal(numpy.random.get_state()[1], state)
    a = a.astype(numpy.float64)
    numpy.testing.assert_allclose(a @ a.T, 1.21 * numpy.eye(3), atol=1e-5)
    c = _fill((), numpy.float32, rng=numpy.random.RandomState(3))
    assert abs(c) == numpy.float32(1.1)


def test_rng_numpy_generator():
    a = _fill((4, 4), numpy.float64, rng=numpy.random.default_rng(0))
    numpy.testing.assert_allclose(a @ a.T, 1.21 * numpy.eye(4), atol=1e-12)
    c = _fill((), numpy.float64, rng=numpy.random.default_rng(0))
    assert abs(c) == 1.1


def test_dtype_mismatch():
    with pytest.raises(AssertionError, match='float32.*float64'):
        initializers.Orthogonal(dtype=numpy.float64)(
            numpy.empty((2, 3), numpy.float32))


@pytest.mark.gpu
@pytest.mark.parametrize('dtype', DTYPES)
def test_gpu_uses_numpy_random(dtype):
    cupy = pytest.importorskip('cupy')
    numpy.random.seed(2)
    a = cupy.empty((3, 4, 2), dtype)
    initializers.Orthogonal()(a)
    numpy.random.seed(2)
    b = _fill((3, 4, 2), dtype)
    numpy.testing.assert_array_equal(cupy.asnumpy(a), b)
