"""Initializer base class, get_fans, generate_array, _get_initializer."""
import numpy
import pytest

import dynet
from dynet import initializers
from dynet.initializers import generate_array, get_fans


CHAINER_V7_NAMES = [
    'Constant', 'DownsamplingConvFilter', 'GlorotNormal', 'GlorotUniform',
    'HeNormal', 'HeUniform', 'Identity', 'LeCunNormal', 'LeCunUniform',
    'NaN', 'Normal', 'One', 'Orthogonal', 'Uniform', 'UpsamplingDeconvFilter',
    'Zero', 'generate_array', '_get_initializer',
]


@pytest.mark.parametrize('name', CHAINER_V7_NAMES)
def test_exported(name):
    assert hasattr(initializers, name)


@pytest.mark.parametrize('module, names', [
    ('constant', ['Identity', 'Constant', 'Zero', 'One', 'NaN']),
    ('normal', ['Normal', 'LeCunNormal', 'GlorotNormal', 'HeNormal']),
    ('uniform', ['Uniform', 'LeCunUniform', 'GlorotUniform', 'HeUniform']),
    ('orthogonal', ['Orthogonal']),
    ('sampling', ['UpsamplingDeconvFilter', 'DownsamplingConvFilter']),
])
def test_submodules_like_chainer(module, names):
    import importlib
    mod = importlib.import_module('dynet.initializers.' + module)
    for name in names:
        assert getattr(mod, name) is getattr(initializers, name)
        assert issubclass(getattr(mod, name), initializers.Initializer)


class TestInitializer:

    def test_dtype_kept_as_given(self):
        assert initializers.Initializer().dtype is None
        assert initializers.Initializer(numpy.float16).dtype is numpy.float16
        assert initializers.Normal(dtype='float32').dtype == 'float32'

    def test_call_not_implemented(self):
        with pytest.raises(NotImplementedError):
            initializers.Initializer()(numpy.empty(2))


class TestGetFans:

    @pytest.mark.parametrize('shape, fans', [
        ((3, 4), (4, 3)),
        ((5, 2, 3), (6, 15)),
        ((3, 4, 2, 5), (40, 30)),
        ((1, 1, 1, 1, 1), (1, 1)),
    ])
    def test_values(self, shape, fans):
        assert get_fans(shape) == fans
        assert all(type(f) is int for f in get_fans(shape))

    @pytest.mark.parametrize('shape', [(), (3,)])
    def test_too_few_axes(self, shape):
        with pytest.raises(ValueError, match='at least 2 axes'):
            get_fans(shape)

    def test_not_a_tuple(self):
        with pytest.raises(ValueError, match='tuple'):
            get_fans([3, 4])


class TestGenerateArray:

    def test_default_dtype_is_config_dtype(self):
        a = generate_array(initializers.One(), (2, 3), numpy)
        assert isinstance(a, numpy.ndarray)
        assert a.dtype == numpy.float32 and a.shape == (2, 3)
        numpy.testing.assert_array_equal(a, numpy.ones((2, 3)))
        with dynet.using_config('dtype', numpy.float64):
            assert generate_array(initializers.One(), (2,), numpy).dtype == \
                numpy.float64

    def test_initializer_dtype(self):
        a = generate_array(initializers.Zero(numpy.float16), (4,), numpy)
        assert a.dtype == numpy.float16

    def test_explicit_dtype(self):
        a = generate_array(initializers.One(), (2,), numpy, dtype='float64')
        assert a.dtype == numpy.float64
        b = generate_array(initializers.One(numpy.float16), (2,), numpy,
                           dtype=numpy.float16)
        assert b.dtype == numpy.float16

    def test_dtype_mismatch(self):
        with pytest.raises(ValueError, match='float64.*float32'):
            generate_array(initializers.Normal(dtype=numpy.float32), (2,),
                           numpy, dtype=numpy.float64)

    def test_int_shape(self):
        assert generate_array(initializers.One(), 3, numpy).shape == (3,)

    def test_scalar_shape(self):
        a = generate_array(initializers.Constant(2), (), numpy)
        assert a.shape == () and a == 2

    def test_plain_callable(self):
        def fill(array):
            array[...] = 7
        a = generate_array(fill, (2,), numpy)
        assert a.dtype == numpy.float32
        numpy.testing.assert_array_equal(a, [7, 7])

    def test_cpu_device(self):
        a = generate_array(initializers.One(), (2,), numpy, device='@numpy')
        assert isinstance(a, numpy.ndarray)
        a = generate_array(initializers.One(), (2,), numpy,
                           device=dynet.backend.CpuDevice())
        assert isinstance(a, numpy.ndarray)

    def test_same_numbers_as_chainer(self):
        # Chainer 7.8.1: seed(1); generate_array(Normal(), (2, 2), numpy)
        numpy.random.seed(1)
        a = generate_array(initializers.Normal(), (2, 2), numpy)
        numpy.testing.assert_array_equal(a, numpy.array(
            [[0.08121726661920547, -0.03058782033622265],
             [-0.026408588513731956, -0.05364843085408211]], numpy.float32))

    def test_dtype_of(self):
        assert initializers.dtype_of(initializers.One()) == numpy.float32
        assert initializers.dtype_of(
            initializers.One('float16')) == numpy.float16
        assert initializers.dtype_of(lambda a: None) == numpy.float32


@pytest.mark.gpu
def test_generate_array_gpu():
    cupy = pytest.importorskip('cupy')
    a = generate_array(initializers.HeNormal(), (3, 4), cupy)
    assert isinstance(a, cupy.ndarray) and a.dtype == numpy.float32
    b = generate_array(initializers.Orthogonal(), (3, 4), cupy,
                       device='@cupy:0')
    numpy.testing.assert_allclose(cupy.asnumpy(b @ b.T), 1.21 * numpy.eye(3),
                                  atol=1e-5)
    with pytest.raises(ValueError, match='inconsistent'):
        generate_array(initializers.One(), (2,), numpy, device='@cupy:0')


class TestGetInitializer:

    def test_none_is_lecun_normal(self):
        init = initializers._get_initializer(None)
        assert type(init) is initializers.LeCunNormal
        assert init.scale == 1.0 and init.dtype is None

    @pytest.mark.parametrize('value', [2, 0.5, numpy.float32(1.5), True])
    def test_scalar_is_constant(self, value):
        init = initializers._get_initializer(value)
        assert type(init) is initializers.Constant
        assert init.fill_value == value

    def test_array_is_constant(self):
        arr = numpy.arange(3.)
        init = initializers._get_initializer(arr)
        assert type(init) is initializers.Constant
        assert init.fill_value is arr

    def test_callable_returned_as_is(self):
        init = initializers.HeNormal()
        assert initializers._get_initializer(init) is init

        def fill(array):
            array[...] = 0
        assert initializers._get_initializer(fill) is fill

    @pytest.mark.parametrize('value', [[1, 2], {'a': 1}, object()])
    def test_bad_type(self, value):
        with pytest.raises(TypeError, match='initializer'):
            initializers._get_initializer(value)
        with pytest.raises(TypeError, match='initializer'):
            initializers._check_is_initializer_like(value)

    @pytest.mark.parametrize('value', [None, 1, numpy.ones(2),
                                       initializers.One(), len])
    def test_initializer_like(self, value):
        initializers._check_is_initializer_like(value)


class TestWithParameter:

    def test_deferred_random_initialization(self):
        numpy.random.seed(3)
        p = dynet.Parameter(initializers.GlorotUniform())
        p.initialize((4, 5))
        numpy.random.seed(3)
        expected = numpy.random.uniform(
            -numpy.sqrt(6. / 9), numpy.sqrt(6. / 9), (4, 5))
        numpy.testing.assert_array_equal(p.array,
                                         expected.astype(numpy.float32))

    def test_dtype_from_initializer(self):
        p = dynet.Parameter(initializers.Orthogonal(dtype=numpy.float64),
                            (3, 3))
        assert p.dtype == numpy.float64
        numpy.testing.assert_allclose(p.array @ p.array.T,
                                      1.21 * numpy.eye(3), atol=1e-12)
