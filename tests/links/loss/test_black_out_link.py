"""Tests of the BlackOut link."""
import numpy

import dynet.functions as F
from dynet import backend
from dynet import testing
from dynet.links.loss import BlackOut
from dynet.utils.walker_alias import WalkerAlias

_COUNTS = [2, 3, 5, 1]


def _reference(x, t, W, samples):
    loss = []
    for i in range(len(t)):
        ids = [t[i]] + list(samples[i])
        s = numpy.array([W[j].dot(x[i]) for j in ids], numpy.float64)
        p = numpy.exp(s) / numpy.exp(s).sum()
        loss.append(-numpy.log(p[0]) - numpy.log(1 - p[1:]).sum())
    return numpy.mean(loss)


def test_parameters_and_sampler():
    link = BlackOut(3, _COUNTS, 2)
    assert link.W.shape == (4, 3) and link.W.dtype == numpy.float32
    # As in Chainer, W has no initializer: NaN until it is set.
    assert numpy.isnan(link.W.array).all()
    assert link.sample_size == 2 and link.sample_data is None
    expected = WalkerAlias(_COUNTS)
    numpy.testing.assert_array_equal(link.sampler.threshold,
                                     expected.threshold)
    numpy.testing.assert_array_equal(link.sampler.values, expected.values)


def test_forward_with_sample_data_and_with_the_sampler():
    link = BlackOut(3, _COUNTS, 2)
    link.W.array[...] = numpy.random.uniform(-1, 1, (4, 3))
    x = numpy.random.uniform(-1, 1, (3, 3)).astype(numpy.float32)
    t = numpy.array([0, 3, 2], numpy.int32)
    link.sample_data = numpy.array([[1, 2], [0, 0], [3, 1]], numpy.int32)
    loss = link(x, t)
    numpy.testing.assert_allclose(
        float(loss.array),
        _reference(x, t, link.W.array, link.sample_data), rtol=1e-5)
    link.sample_data = None
    numpy.random.seed(3)
    loss = link(x, t)
    numpy.random.seed(3)
    samples = link.sampler.sample((3, 2))
    numpy.testing.assert_allclose(
        loss.array, F.black_out(x, t, link.W, samples).array, rtol=1e-6)
    loss.backward()
    assert link.W.grad.shape == (4, 3)


def test_device_and_serialization():
    link = BlackOut(3, _COUNTS, 2)
    assert link.to_cpu() is link
    assert isinstance(link.sampler.device, backend.CpuDevice)
    link.W.array[...] = numpy.random.uniform(-1, 1, (4, 3))
    dst = BlackOut(3, _COUNTS, 2)
    testing.save_and_load_npz(link, dst)
    numpy.testing.assert_array_equal(dst.W.array, link.W.array)


@testing.attr.gpu
def test_to_gpu_moves_the_sampler():
    link = BlackOut(3, _COUNTS, 2).to_gpu()
    assert link.sampler.use_gpu
    link.W.array[...] = 0.5
    x = link.xp.ones((2, 3), numpy.float32)
    t = link.xp.array([0, 1], numpy.int32)
    assert link(x, t).shape == ()
