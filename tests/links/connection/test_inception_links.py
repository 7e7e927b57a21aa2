"""Tests of L.Inception, L.InceptionBN and L.MLPConvolution2D against
NumPy references (explicit convolution and pooling loops)."""
import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import gradient_check
from dynet import initializers
from dynet import testing


def _x(*shape):
    return numpy.random.uniform(-1, 1, shape).astype(numpy.float32)


def _conv(x, conv, stride=1, pad=0):
    """The convolution of ``conv`` (a link) by a sum over kernel taps."""
    w = conv.W.array.astype(numpy.float64)
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = numpy.pad(numpy.asarray(x, numpy.float64),
                   ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    y = numpy.zeros((n, o, oh, ow))
    for p in range(kh):
        for q in range(kw):
            patch = xp[:, :, p:p + stride * (oh - 1) + 1:stride,
                       q:q + stride * (ow - 1) + 1:stride]
            y += numpy.einsum('nchw,oc->nohw', patch, w[:, :, p, q])
    if conv.b is not None:
        y += conv.b.array.reshape(1, -1, 1, 1)
    return y


def _pool3(x, stride, kind):
    """3x3 pooling with padding 1: max over the window (padding ignored,
    no cover_all) or the window sum divided by 9 (padding counted)."""
    n, c, h, w = x.shape
    fill = -numpy.inf if kind == 'max' else 0.0
    xp = numpy.pad(numpy.asarray(x, numpy.float64),
                   ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=fill)
    oh, ow = (h - 1) // stride + 1, (w - 1) // stride + 1
    y = numpy.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = xp[:, :, i * stride:i * stride + 3,
                        j * stride:j * stride + 3]
            y[:, :, i, j] = (window.max(axis=(2, 3)) if kind == 'max'
                             else window.sum(axis=(2, 3)) / 9)
    return y


def _relu(v):
    return numpy.maximum(v, 0)


def _bn(h, bn, train):
    if train:
        mean, var = h.mean(axis=(0, 2, 3)), h.var(axis=(0, 2, 3))
    else:
        mean, var = bn.avg_mean, bn.avg_var
    shape = (1, -1, 1, 1)
    return ((h - mean.reshape(shape)) / numpy.sqrt(var.reshape(shape) +
                                                   2e-5) *
            bn.gamma.array.reshape(shape) + bn.beta.array.reshape(shape))


# ------------------------------------------------------------ Inception

def _inception_reference(link, x):
    out1 = _conv(x, link.conv1)
    out3 = _conv(_relu(_conv(x, link.proj3)), link.conv3, pad=1)
    out5 = _conv(_relu(_conv(x, link.proj5)), link.conv5, pad=2)
    pool = _conv(_pool3(x, 1, 'max'), link.projp)
    return _relu(numpy.concatenate([out1, out3, out5, pool], axis=1))


@testing.fix_random()
def test_inception_structure_and_forward():
    link = L.Inception(3, 2, 2, 3, 1, 2, 2, bias_init=initializers.Uniform(1))
    shapes = {name: tuple(p.shape) for name, p in link.namedparams()}
    assert shapes == {
        '/conv1/W': (2, 3, 1, 1), '/conv1/b': (2,),
        '/proj3/W': (2, 3, 1, 1), '/proj3/b': (2,),
        '/conv3/W': (3, 2, 3, 3), '/conv3/b': (3,),
        '/proj5/W': (1, 3, 1, 1), '/proj5/b': (1,),
        '/conv5/W': (2, 1, 5, 5), '/conv5/b': (2,),
        '/projp/W': (2, 3, 1, 1), '/projp/b': (2,)}
    x = _x(2, 3, 5, 4)
    y = link(x)
    assert y.shape == (2, 2 + 3 + 2 + 2, 5, 4)
    numpy.testing.assert_allclose(y.array, _inception_reference(link, x),
                                  rtol=1e-5, atol=1e-5)


@testing.fix_random()
def test_inception_initializers_deferred_and_gradients():
    link = L.Inception(None, 1, 2, 1, 1, 1, 1, conv_init=0.5, bias_init=0.25)
    x = _x(1, 2, 3, 3)
    y = link(x)
    for name, param in link.namedparams():
        numpy.testing.assert_array_equal(
            param.array, 0.5 if name.endswith('W') else 0.25, err_msg=name)
    link = L.Inception(2, 1, 2, 1, 1, 1, 1)
    numpy.testing.assert_array_equal(link.conv1.b.array, 0)
    gradient_check.check_backward(
        link, x, _x(*y.shape), params=list(link.params()),
        dtype=numpy.float64, atol=1e-4, rtol=1e-3,
        detect_nondifferentiable=True)


# ---------------------------------------------------------- InceptionBN

def _inception_bn_reference(link, x, train):
    s = link.stride
    outs = []
    if link.out1 > 0:
        outs.append(_relu(_bn(_conv(x, link.conv1), link.conv1n, train)))
    h = _relu(_bn(_conv(x, link.proj3), link.proj3n, train))
    outs.append(_relu(_bn(_conv(h, link.conv3, s, 1), link.conv3n, train)))
    h = _relu(_bn(_conv(x, link.proj33), link.proj33n, train))
    h = _relu(_bn(_conv(h, link.conv33a, 1, 1), link.conv33an, train))
    outs.append(_relu(_bn(_conv(h, link.conv33b, s, 1), link.conv33bn,
                          train)))
    p = _pool3(x, s, link.pooltype)
    if link.proj_pool is not None:
        p = _relu(_bn(_conv(p, link.poolp), link.poolpn, train))
    outs.append(p)
    return numpy.concatenate(outs, axis=1)


def _randomize_batch_norms(link):
    rng = numpy.random.RandomState(5)
    for child in link.links(skipself=True):
        if isinstance(child, L.BatchNormalization):
            size = child.gamma.shape
            child.gamma.array[...] = rng.uniform(0.5, 1.5, size)
            child.beta.array[...] = rng.uniform(-0.5, 0.5, size)
            child.avg_mean[...] = rng.uniform(-0.5, 0.5, size)
            child.avg_var[...] = rng.uniform(0.5, 2, size)


@pytest.mark.parametrize('out1, pooltype, proj_pool, stride', [
    (2, 'max', 2, 1), (0, 'avg', None, 2), (0, 'max', None, 2),
    (3, 'avg', 1, 1)])
@testing.fix_random()
def test_inception_bn_forward(out1, pooltype, proj_pool, stride):
    link = L.InceptionBN(3, out1, 2, 3, 1, 2, pooltype, proj_pool, stride)
    _randomize_batch_norms(link)
    x = _x(3, 3, 5, 6)
    expected_channels = out1 + 3 + 2 + (proj_pool or 3)
    with dynet.using_config('train', False):
        y = link(x)
    assert y.shape == (3, expected_channels, (5 - 1) // stride + 1,
                       (6 - 1) // stride + 1)
    numpy.testing.assert_allclose(y.array,
                                  _inception_bn_reference(link, x, False),
                                  rtol=1e-4, atol=1e-4)
    y = link(x)  # training mode: batch statistics
    numpy.testing.assert_allclose(y.array,
                                  _inception_bn_reference(link, x, True),
                                  rtol=1e-3, atol=1e-3)


@testing.fix_random()
def test_inception_bn_structure_and_options():
    link = L.InceptionBN(4, 2, 3, 5, 2, 6, 'max', proj_pool=1,
                         conv_init=0.5, dtype=numpy.float64)
    names = sorted(child.name for child in link.children())
    assert names == sorted(['proj3', 'conv3', 'proj33', 'conv33a',
                            'conv33b', 'proj3n', 'conv3n', 'proj33n',
                            'conv33an', 'conv33bn', 'conv1', 'conv1n',
                            'poolp', 'poolpn'])
    for child in link.children():
        if isinstance(child, L.Convolution2D):
            assert child.b is None
            numpy.testing.assert_array_equal(child.W.array, 0.5)
        else:
            assert child.gamma.dtype == numpy.float64
    assert link.conv33b.W.shape == (6, 6, 3, 3)
    plain = L.InceptionBN(4, 0, 3, 5, 2, 6, 'avg')
    assert not hasattr(plain, 'conv1') and not hasattr(plain, 'poolp')
    assert plain.proj3n.gamma.dtype == numpy.float32


def test_inception_bn_errors():
    with pytest.raises(NotImplementedError, match="pooltype must be 'max' "
                       "or 'avg', got 'sum'"):
        L.InceptionBN(3, 0, 2, 2, 2, 2, 'sum')
    with pytest.raises(ValueError, match='needs stride == 1, got stride=2'):
        L.InceptionBN(3, 1, 2, 2, 2, 2, 'max', proj_pool=2, stride=2)
    with pytest.raises(ValueError, match='needs proj_pool, got None'):
        L.InceptionBN(3, 1, 2, 2, 2, 2, 'max')


@testing.fix_random()
def test_inception_bn_gradients_and_serialization():
    link = L.InceptionBN(2, 1, 2, 1, 1, 1, 'avg', proj_pool=1)
    x = _x(4, 2, 3, 3)
    y = link(x)
    # In training mode (batch statistics): the float64 check does not cast
    # the running averages that test mode would use.
    gradient_check.check_backward(
        link, x, _x(*y.shape), params=list(link.params()),
        dtype=numpy.float64, atol=1e-3, rtol=1e-2)
    other = L.InceptionBN(2, 1, 2, 1, 1, 1, 'avg', proj_pool=1)
    testing.save_and_load_npz(link, other)
    # the running statistics (updated by the training-mode call) travel
    numpy.testing.assert_array_equal(other.conv3n.avg_mean,
                                     link.conv3n.avg_mean)
    assert link.conv3n.avg_mean.any()


# ----------------------------------------------------- MLPConvolution2D

@testing.fix_random()
def test_mlp_convolution_forward_and_structure():
    link = L.MLPConvolution2D(3, (4, 5, 2), 3, stride=2, pad=1,
                              activation=F.tanh,
                              bias_init=initializers.Uniform(1))
    assert len(link) == 3
    assert {name: tuple(p.shape) for name, p in link.namedparams()} == {
        '/0/W': (4, 3, 3, 3), '/0/b': (4,), '/1/W': (5, 4, 1, 1),
        '/1/b': (5,), '/2/W': (2, 5, 1, 1), '/2/b': (2,)}
    x = _x(2, 3, 5, 5)
    y = link(x)
    h = numpy.tanh(_conv(x, link[0], 2, 1))
    h = numpy.tanh(_conv(h, link[1]))
    expected = _conv(h, link[2])  # no activation after the last
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-5, atol=1e-5)
    assert link.activation is F.tanh


@testing.fix_random()
def test_mlp_convolution_short_form_default_relu_and_gradients():
    link = L.MLPConvolution2D((3, 2), 2, conv_init=0.5, bias_init=-0.25)
    assert link[0].W.array is None
    x = _x(1, 2, 3, 3)
    y = link(x)
    assert link[0].W.shape == (3, 2, 2, 2)
    numpy.testing.assert_array_equal(link[1].W.array, 0.5)
    numpy.testing.assert_array_equal(link[1].b.array, -0.25)
    expected = _conv(_relu(_conv(x, link[0])), link[1])
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-5, atol=1e-5)
    link = L.MLPConvolution2D(2, (3, 2), 2)
    gradient_check.check_backward(
        link, x, _x(1, 2, 2, 2), params=list(link.params()),
        dtype=numpy.float64, atol=1e-4, rtol=1e-3,
        detect_nondifferentiable=True)
    other = L.MLPConvolution2D(2, (3, 2), 2)
    testing.save_and_load_npz(link, other)
    numpy.testing.assert_array_equal(other[1].W.array, link[1].W.array)


def test_mlp_convolution_errors():
    with pytest.raises(ValueError, match='out_channels must list at least '
                       'one convolution'):
        L.MLPConvolution2D(3, (), 3)
    with pytest.raises(ValueError, match='use_cudnn argument is not '
                       'supported anymore'):
        L.MLPConvolution2D(3, (2,), 3, use_cudnn=False)
    with pytest.raises(TypeError, match="unexpected keyword.*'wscale'"):
        L.MLPConvolution2D(3, (2,), 3, wscale=1)
