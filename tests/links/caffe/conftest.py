"""Shared pieces of the Caffe loader tests, given to tests by the
``caffe`` fixture: a helper that writes a net with
``dynet.links.caffe.writer`` and runs it through CaffeFunction, and plain
NumPy references of Caffe's layers (explicit loops, written from Caffe's
documented rules, independent of the loader's code)."""
import math
import os
import types

import numpy
import pytest

import dynet
from dynet.links.caffe import CaffeFunction
from dynet.links.caffe import writer

DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')


def _uniform(shape, seed, low=-1.0, high=1.0):
    rs = numpy.random.RandomState(seed)
    return rs.uniform(low, high, shape).astype(numpy.float32)


class Runner:
    """Writes nets into a temporary directory and runs them."""

    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def write(self, layers, format='layer', **net_kwargs):
        self.count += 1
        path = os.path.join(str(self.directory),
                            'net{}.caffemodel'.format(self.count))
        writer.save_caffemodel(path, layers, format=format, **net_kwargs)
        return path

    def load(self, layers, format='layer', **net_kwargs):
        return CaffeFunction(self.write(layers, format, **net_kwargs))

    def run(self, layers, inputs, outputs, format='layer', disable=(),
            train=False, **net_kwargs):
        """The arrays of ``outputs`` (a list) after running the net."""
        func = self.load(layers, format, **net_kwargs)
        with dynet.using_config('train', train):
            results = func(inputs=inputs, outputs=outputs, disable=disable)
        for name, result in zip(outputs, results):
            # Layers give Variables even for array inputs.
            assert isinstance(result, dynet.Variable), name
        return [r.array for r in results]


# --------------------------------------------------------- NumPy references
def conv_ref(x, w, b=None, stride=(1, 1), pad=(0, 0), dilation=(1, 1),
             group=1):
    """Caffe convolution (cross-correlation) by a sum over kernel taps."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, pad, dilation
    xp = numpy.zeros((n, c, h + 2 * ph, wd + 2 * pw), numpy.float64)
    xp[:, :, ph:ph + h, pw:pw + wd] = x
    oh = (h + 2 * ph - (dh * (kh - 1) + 1)) // sh + 1
    ow = (wd + 2 * pw - (dw * (kw - 1) + 1)) // sw + 1
    y = numpy.zeros((n, o, oh, ow), numpy.float64)
    og = o // group
    for g in range(group):
        for ky in range(kh):
            for kx in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg,
                           ky * dh:ky * dh + sh * (oh - 1) + 1:sh,
                           kx * dw:kx * dw + sw * (ow - 1) + 1:sw]
                tap = w[g * og:(g + 1) * og, :, ky, kx].astype(numpy.float64)
                for oc in range(og):
                    for ic in range(cg):
                        y[:, g * og + oc] += patch[:, ic] * tap[oc, ic]
    if b is not None:
        y += numpy.asarray(b, numpy.float64).reshape(1, -1, 1, 1)
    return y


def deconv_ref(x, w, b=None, stride=(1, 1), pad=(0, 0), dilation=(1, 1),
               group=1):
    """Caffe deconvolution: every input value scatters its kernel."""
    n, c, h, wd = x.shape
    c_, og, kh, kw = w.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, pad, dilation
    full_h = sh * (h - 1) + dh * (kh - 1) + 1
    full_w = sw * (wd - 1) + dw * (kw - 1) + 1
    y = numpy.zeros((n, og * group, full_h, full_w), numpy.float64)
    cg = c // group
    for g in range(group):
        for i in range(h):
            for j in range(wd):
                for ic in range(cg):
                    ci = g * cg + ic
                    for ky in range(kh):
                        for kx in range(kw):
                            y[:, g * og:(g + 1) * og, i * sh + ky * dh,
                              j * sw + kx * dw] += \
                                x[:, ci, i, j][:, None] * w[ci, :, ky, kx]
    y = y[:, :, ph:full_h - ph, pw:full_w - pw]
    if b is not None:
        y = y + numpy.asarray(b, numpy.float64).reshape(1, -1, 1, 1)
    return y


def pool_ref(x, method, ksize, stride=(1, 1), pad=(0, 0), ceil_mode=True):
    """Caffe pooling: output size rounded up (or down), a last window
    starting beyond the padding dropped; MAX over the real elements of a
    window, AVE = their sum / the window clipped to the padded input."""
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw) = ksize, stride, pad

    def size(length, k, s, p):
        span = length + 2 * p - k
        out = (math.ceil(span / s) if ceil_mode else span // s) + 1
        if (ph or pw) and (out - 1) * s >= length + p:
            out -= 1
        return out
    oh, ow = size(h, kh, sh, ph), size(w, kw, sw, pw)
    y = numpy.zeros((n, c, oh, ow), numpy.float64)
    for i in range(oh):
        for j in range(ow):
            h0, w0 = i * sh - ph, j * sw - pw
            h1, w1 = min(h0 + kh, h + ph), min(w0 + kw, w + pw)
            area = (h1 - h0) * (w1 - w0)
            window = x[:, :, max(h0, 0):min(h1, h), max(w0, 0):min(w1, w)]
            if method == 'max':
                y[:, :, i, j] = window.max(axis=(2, 3))
            else:
                y[:, :, i, j] = window.sum(axis=(2, 3), dtype='d') / area
    return y


def lrn_across_ref(x, size, alpha, beta, k):
    """Caffe ACROSS_CHANNELS: x / (k + alpha / size * sum of squares over
    ``size`` neighbouring channels) ** beta."""
    x = x.astype(numpy.float64)
    y = numpy.empty_like(x)
    half = (size - 1) // 2
    channels = x.shape[1]
    for c in range(channels):
        lo, hi = max(0, c - half), min(channels, c + half + 1)
        total = (x[:, lo:hi] ** 2).sum(axis=1)
        y[:, c] = x[:, c] / (k + alpha / size * total) ** beta
    return y


def lrn_within_ref(x, size, alpha, beta):
    """Caffe WITHIN_CHANNEL: x / (1 + alpha / size^2 * sum of squares over
    a size x size zero-padded window) ** beta."""
    x = x.astype(numpy.float64)
    n, c, h, w = x.shape
    half = (size - 1) // 2
    y = numpy.empty_like(x)
    for i in range(h):
        for j in range(w):
            window = x[:, :, max(0, i - half):i + half + 1,
                       max(0, j - half):j + half + 1]
            total = (window ** 2).sum(axis=(2, 3))
            y[:, :, i, j] = x[:, :, i, j] / \
                (1 + alpha / size ** 2 * total) ** beta
    return y


def softmax_ref(x, axis=1):
    x = x.astype(numpy.float64)
    e = numpy.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.fixture
def caffe(tmp_path):
    """The runner and the references, as one namespace."""
    runner = Runner(tmp_path)
    return types.SimpleNamespace(
        runner=runner, run=runner.run, load=runner.load, write=runner.write,
        uniform=_uniform, conv_ref=conv_ref, deconv_ref=deconv_ref,
        pool_ref=pool_ref, lrn_across_ref=lrn_across_ref,
        lrn_within_ref=lrn_within_ref, softmax_ref=softmax_ref,
        data_dir=DATA_DIR)
