import copy
import pickle

import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import Parameter, Variable


def _array(*shape, dtype=numpy.float32):
    return numpy.arange(numpy.prod(shape), dtype=dtype).reshape(shape) - 1


def test_attributes():
    data = _array(2, 3)
    x = Variable(data, name='x')
    assert x.array is data and x.data is data
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6
    assert x.dtype == numpy.float32 and len(x) == 2
    assert x.name == 'x' and x.requires_grad
    assert x.creator is None and x.creator_node is None and x.rank == 0
    assert x.grad is None and x.grad_var is None
    assert x.xp is numpy and x.device == dynet.get_device('@numpy')
    assert x.label == '(2, 3), float32'
    numpy.testing.assert_array_equal(x.T.array, data.T)


def test_len_of_0dim_raises():
    with pytest.raises(TypeError, match='0-dimensional'):
        len(Variable(numpy.array(1, numpy.float32)))


@pytest.mark.parametrize('bad', [1.0, [1, 2], 'a', numpy.float32(2)])
def test_constructor_rejects_non_arrays(bad):
    with pytest.raises(TypeError, match='numpy.ndarray or cupy.ndarray'):
        Variable(bad)


def test_requires_grad_false_gets_no_grad():
    x = Variable(_array(3), requires_grad=False)
    w = Variable(_array(3))
    F.sum(x * w).backward()
    assert x.grad is None
    numpy.testing.assert_array_equal(w.grad, x.array)


def test_grad_setter_checks_shape_and_dtype():
    x = Variable(_array(2, 3))
    x.grad = numpy.ones((2, 3), numpy.float32)
    assert isinstance(x.grad_var, Variable)
    with pytest.raises(ValueError, match=r'shape \(2, 3\).*shape \(3,\)'):
        x.grad = numpy.ones(3, numpy.float32)
    with pytest.raises(ValueError, match='float64'):
        x.grad = numpy.ones((2, 3), numpy.float64)
    with pytest.raises(TypeError):
        x.grad = [1, 2]


def test_cleargrad_zerograd_addgrad():
    x = Variable(_array(3))
    x.zerograd()
    numpy.testing.assert_array_equal(x.grad, numpy.zeros(3))
    x.grad = numpy.ones(3, numpy.float32)
    grad = x.grad
    x.zerograd()
    assert x.grad is grad and not grad.any()
    y = Variable(_array(3))
    y.grad = numpy.full(3, 2, numpy.float32)
    x.addgrad(y)
    x.addgrad(y)
    numpy.testing.assert_array_equal(x.grad, numpy.full(3, 4))
    x.cleargrad()
    assert x.grad is None


def test_copydata():
    x = Variable(numpy.zeros(3, numpy.float32))
    data = x.array
    x.copydata(Variable(numpy.arange(3, dtype=numpy.float32)))
    assert x.array is data
    numpy.testing.assert_array_equal(x.array, [0, 1, 2])


def test_item():
    assert Variable(numpy.array([2.5], numpy.float32)).item() == 2.5


def test_unchain_makes_a_leaf():
    x = Variable(_array(3))
    y = x * 2
    z = y * 3
    y.unchain()
    assert y.creator is None
    F.sum(z).backward()
    assert x.grad is None
    numpy.testing.assert_array_equal(y.grad, numpy.full(3, 3))


def test_unchain_backward_cuts_the_whole_graph():
    x = Variable(_array(3))
    y = x * 2
    z = y + 1
    w = z * z
    w.unchain_backward()
    assert w.creator is None and z.creator is None and y.creator is None


def test_repr_and_str():
    x = Variable(numpy.array([1, 2], numpy.float32))
    assert repr(x) == 'variable([1., 2.], dtype=float32)'
    assert str(x) == 'variable([1. 2.])'
    x.name = 'w'
    assert repr(x).startswith('variable w([1., 2.]')
    assert str(Variable()) == 'variable(None)'
    assert repr(Parameter(numpy.zeros(1, numpy.float32))).startswith(
        'parameter(')


def test_pickle_and_deepcopy_drop_graph_keep_values():
    x = Variable(_array(2, 2), name='x')
    y = x * 2
    y.grad = numpy.ones((2, 2), numpy.float32)
    for clone in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        numpy.testing.assert_array_equal(clone.array, y.array)
        numpy.testing.assert_array_equal(clone.grad, y.grad)
        assert clone.creator is None
    p = Parameter(_array(2), name='p')
    p2 = pickle.loads(pickle.dumps(p))
    assert isinstance(p2, Parameter) and p2.name == 'p'
    numpy.testing.assert_array_equal(p2.array, p.array)


def test_comparison_is_refused():
    x = Variable(_array(2))
    with pytest.raises(NotImplementedError, match='compare their arrays'):
        x == x  # NOQA
    with pytest.raises(NotImplementedError):
        x < 1  # NOQA
    assert hash(x) == hash(x)


def test_to_cpu_and_to_device_numpy():
    x = Variable(_array(2))
    x.grad = numpy.ones(2, numpy.float32)
    assert x.to_cpu() is x
    assert x.to_device('@numpy') is x
    assert isinstance(x.array, numpy.ndarray)
    assert isinstance(x.grad, numpy.ndarray)


def test_to_gpu_without_cupy_raises_clearly():
    pytest.importorskip  # noqa: B018 (documents intent)
    if dynet.backend._cupy.cupy_or_none() is not None:
        pytest.skip('a GPU is available here')
    with pytest.raises(RuntimeError, match='CuPy'):
        Variable(_array(2)).to_gpu()


def test_ndarray_on_the_left_uses_reflected_operators():
    x = Variable(numpy.ones(3, numpy.float32))
    y = numpy.full(3, 2, numpy.float32) - x
    assert isinstance(y, Variable)
    numpy.testing.assert_array_equal(y.array, numpy.ones(3))


class TestParameter:

    def test_from_array(self):
        data = _array(2, 3)
        p = Parameter(data)
        assert p.array is data and p.is_initialized
        assert p.grad is None

    def test_deferred_initialization(self):
        p = Parameter(dynet.initializers.Constant(2.0))
        assert not p.is_initialized
        assert p.array is None
        assert p.dtype == numpy.float32
        p.initialize((2, 2))
        numpy.testing.assert_array_equal(p.array, numpy.full((2, 2), 2))

    def test_shape_given_initializes_now(self):
        p = Parameter(0.5, shape=(3,))
        numpy.testing.assert_array_equal(p.array, numpy.full(3, 0.5))

    def test_default_initializer_is_nan(self):
        p = Parameter(shape=(2,))
        assert numpy.isnan(p.array).all()

    def test_zerograd_before_initialization(self):
        p = Parameter(dynet.initializers.One())
        p.zerograd()
        p.initialize((3,))
        numpy.testing.assert_array_equal(p.grad, numpy.zeros(3))
        p2 = Parameter(dynet.initializers.One())
        p2.zerograd()
        p2.cleargrad()
        p2.initialize((3,))
        assert p2.grad is None

    def test_bad_initializer(self):
        with pytest.raises(TypeError, match='initializer'):
            Parameter('zeros')

    def test_update_calls_update_rule(self):
        calls = []

        class Rule:
            def update(self, param):
                calls.append(param)

        p = Parameter(_array(2))
        p.update()
        p.update_rule = Rule()
        p.update()
        assert calls == [p]

    def test_trains_like_a_variable(self):
        p = Parameter(numpy.array([3.0], numpy.float32))
        (p * p).backward()
        numpy.testing.assert_array_equal(p.grad, [6.0])
