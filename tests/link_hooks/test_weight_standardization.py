"""link_hooks.WeightStandardization against a NumPy reference."""
import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import gradient_check, link_hooks, testing


def _ws_reference(W, eps):
    """Each output channel W[i] standardized over its other elements."""
    W = numpy.asarray(W, numpy.float64)
    rows = W.reshape(W.shape[0], -1)
    mean = rows.mean(axis=1, keepdims=True)
    var = ((rows - mean) ** 2).mean(axis=1, keepdims=True)
    return ((rows - mean) / numpy.sqrt(var + eps)).reshape(W.shape)


def _x(shape, dtype=numpy.float32):
    return numpy.random.uniform(-1, 1, shape).astype(dtype)


def _linear(dtype=numpy.float32):
    with dynet.using_config('dtype', dtype):
        link = L.Linear(3, 4, initialW=_x((4, 3), dtype),
                        initial_bias=_x((4,), dtype))
    assert link.W.dtype == dtype
    return link


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32,
                                   numpy.float64])
def test_linear_forward(dtype):
    link = _linear(dtype)
    link.add_hook(link_hooks.WeightStandardization())
    x = _x((2, 3), dtype)
    y = link(x)
    expected = x.astype(numpy.float64).dot(
        _ws_reference(link.W.array, 1e-5).T) + link.b.array
    tol = {'atol': 1e-2, 'rtol': 1e-2} if dtype == numpy.float16 else \
        {'atol': 1e-5, 'rtol': 1e-5}
    assert y.dtype == dtype
    testing.assert_allclose(y.array, expected, **tol)
    assert isinstance(link.W, dynet.Parameter)


def test_convolution_forward_and_eps():
    conv = L.Convolution2D(2, 3, 2)
    hook = link_hooks.WeightStandardization(eps=0.5)
    conv.add_hook(hook)
    x = _x((1, 2, 4, 4))
    y = conv(x)
    W_ws = _ws_reference(conv.W.array, 0.5).astype(numpy.float32)
    expected = F.convolution_2d(x, W_ws, conv.b).array
    testing.assert_allclose(y.array, expected, atol=1e-5, rtol=1e-5)


def test_backward():
    link = _linear()
    link.add_hook(link_hooks.WeightStandardization())
    gradient_check.check_backward(
        lambda x: link(x), _x((2, 3)), _x((2, 4)),
        params=(link.W, link.b), dtype=numpy.float64, atol=1e-4, rtol=1e-3)


def test_double_backward():
    link = _linear()
    link.add_hook(link_hooks.WeightStandardization())
    gradient_check.check_double_backward(
        lambda x: link(x), _x((2, 3)), _x((2, 4)), _x((2, 3)),
        params=(link.W, link.b),
        params_grad_grad=(_x((4, 3)), _x((4,))),
        dtype=numpy.float64, atol=1e-3, rtol=1e-2)


def test_lazy_initialization():
    conv = L.Convolution2D(None, 3, 2).add_hook(
        link_hooks.WeightStandardization())
    assert conv.W.array is None
    y = conv(_x((1, 2, 3, 3)))
    assert y.shape == (1, 3, 2, 2) and conv.W.shape == (3, 2, 2, 2)


def test_lazy_initialization_needs_an_input():
    lin = L.Linear(None, 3).add_hook(link_hooks.WeightStandardization())
    with pytest.raises(ValueError, match='no positional input'):
        lin(x=_x((1, 2)))
    assert isinstance(lin.W, dynet.Parameter)


def test_keyword_only_arguments_and_name():
    with pytest.raises(TypeError):
        link_hooks.WeightStandardization(1e-3)
    hook = link_hooks.WeightStandardization(eps=1e-3, name='ws')
    assert hook.name == 'ws' and hook.eps == 1e-3
    assert link_hooks.WeightStandardization().name == 'WeightStandardization'


def test_errors():
    with pytest.raises(ValueError, match='WeightStandardization: eps must'):
        link_hooks.WeightStandardization(eps=-1)
    with pytest.raises(ValueError, match="weight_name='V'"):
        _linear().add_hook(link_hooks.WeightStandardization(weight_name='V'))
    link = _linear()
    link.add_hook(link_hooks.WeightStandardization(weight_name='b'))
    with pytest.raises(ValueError, match='at least 2 axes'):
        link(_x((1, 3)))
    assert isinstance(link.b, dynet.Parameter)   # put back
    with pytest.raises(NotImplementedError):
        with link_hooks.WeightStandardization():
            pass


def test_serialization_and_to_device():
    src = _linear()
    src.add_hook(link_hooks.WeightStandardization())
    dst = _linear()
    dst.add_hook(link_hooks.WeightStandardization())
    testing.save_and_load_npz(src, dst)
    dst.to_device('@numpy')
    x = _x((2, 3))
    numpy.testing.assert_array_equal(dst(x).array, src(x).array)
