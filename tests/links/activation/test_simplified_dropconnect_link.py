"""Tests of L.SimplifiedDropconnect."""
import io

import numpy
import pytest

import dynet
import dynet.links as L
from dynet import gradient_check
from dynet import initializers
from dynet import serializers
from dynet import testing


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def _mask(shape, seed):
    return numpy.random.RandomState(seed).rand(*shape) >= 0.5


def _reference(link, x, mask, ratio):
    """y[n] = x[n] (W * mask[n] / (1 - ratio))^T + b."""
    x = x.reshape(len(x), -1).astype(numpy.float64)
    w = link.W.array.astype(numpy.float64) * mask / (1 - ratio)
    if mask.ndim == 3:
        y = numpy.einsum('nj,nij->ni', x, w)
    else:
        y = x @ w.T
    return y + (0 if link.b is None else link.b.array)


def test_default_initializers():
    numpy.random.seed(3)
    link = L.SimplifiedDropconnect(4, 3)
    assert link.W.shape == (3, 4) and link.b.shape == (3,)
    assert link.ratio == 0.5 and link.out_size == 3
    numpy.testing.assert_array_equal(link.b.array, 0)
    numpy.random.seed(3)
    expected = numpy.empty((3, 4), numpy.float32)
    initializers.HeNormal(1 / numpy.sqrt(2))(expected)
    numpy.testing.assert_array_equal(link.W.array, expected)
    link = L.SimplifiedDropconnect(4, 3, nobias=True, initialW=2.0)
    assert link.b is None
    numpy.testing.assert_array_equal(link.W.array, 2)


@pytest.mark.parametrize('batchwise', [True, False])
@testing.fix_random()
def test_forward_with_a_given_mask(batchwise):
    link = L.SimplifiedDropconnect(4, 3, ratio=0.25, initial_bias=0.5)
    x = _x(2, 4)
    mask = _mask((2, 3, 4) if batchwise else (3, 4), 0)
    y = link(x, mask=mask, use_batchwise_mask=batchwise)
    numpy.testing.assert_allclose(y.array, _reference(link, x, mask, 0.25),
                                  rtol=1e-5, atol=1e-6)


@testing.fix_random()
def test_random_mask_and_test_mode():
    link = L.SimplifiedDropconnect(6, 5, ratio=0.5)
    x = _x(3, 6)
    numpy.random.seed(4)
    y = link(x)
    numpy.random.seed(4)
    mask = numpy.random.rand(3, 5, 6) >= 0.5
    numpy.testing.assert_allclose(y.array, _reference(link, x, mask, 0.5),
                                  rtol=1e-5, atol=1e-6)
    plain = link(x, train=False)
    numpy.testing.assert_allclose(
        plain.array, x @ link.W.array.T + link.b.array, rtol=1e-5, atol=1e-6)


@testing.fix_random()
def test_deferred_in_size_and_gradients():
    link = L.SimplifiedDropconnect(None, 3, ratio=0.3)
    x = _x(2, 2, 3)
    mask = _mask((2, 3, 6), 1)
    y = link(x, mask=mask)
    assert link.W.shape == (3, 6)
    numpy.testing.assert_allclose(y.array, _reference(link, x, mask, 0.3),
                                  rtol=1e-5, atol=1e-6)
    gradient_check.check_backward(
        lambda x: link(x, mask=mask), x, _x(2, 3),
        params=[link.W, link.b], dtype=numpy.float64)


@testing.fix_random()
def test_given_mask_becomes_a_persistent():
    link = L.SimplifiedDropconnect(4, 3)
    link(_x(2, 4))
    assert 'mask' not in link.__dict__
    mask = _mask((2, 3, 4), 2)
    link(_x(2, 4), mask=dynet.Variable(mask.astype(numpy.float32)))
    numpy.testing.assert_array_equal(link.mask, mask)
    buffer = io.BytesIO()
    serializers.save_npz(buffer, link)
    buffer.seek(0)
    with numpy.load(buffer) as saved:
        assert sorted(saved.keys()) == ['W', 'b', 'mask']
    other = L.SimplifiedDropconnect(4, 3)
    testing.save_and_load_npz(link, other)
    numpy.testing.assert_array_equal(other.W.array, link.W.array)
    other.to_device('@numpy')
    assert other(_x(1, 4), train=False).shape == (1, 3)


def test_bad_ratio_and_mask_shape():
    link = L.SimplifiedDropconnect(4, 3, ratio=1.0)
    with pytest.raises(ValueError, match='simplified_dropconnect: ratio '
                       'must be in the range'):
        link(_x(2, 4))
    link = L.SimplifiedDropconnect(4, 3)
    with pytest.raises(TypeError, match='mask.shape == \\(2, 3, 4\\)'):
        link(_x(2, 4), mask=_mask((3, 4), 0))
