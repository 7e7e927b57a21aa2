"""Tests of the NegativeSampling link."""
import numpy
import pytest

import dynet.functions as F
from dynet import backend
from dynet import testing
from dynet.links.loss import NegativeSampling
from dynet.utils.walker_alias import WalkerAlias

_COUNTS = [3, 1, 4, 1, 5]


def test_parameters_and_sampler():
    link = NegativeSampling(3, _COUNTS, 2, power=0.5)
    assert link.W.shape == (5, 3) and link.W.dtype == numpy.float32
    numpy.testing.assert_array_equal(link.W.array, 0)
    assert [name for name, _ in link.namedparams()] == ['/W']
    assert link.sample_size == 2
    expected = WalkerAlias(numpy.power(numpy.array(_COUNTS, numpy.float32),
                                       numpy.float32(0.5)))
    numpy.testing.assert_array_equal(link.sampler.threshold,
                                     expected.threshold)
    numpy.testing.assert_array_equal(link.sampler.values, expected.values)
    link64 = NegativeSampling(3, _COUNTS, 2, dtype=numpy.float64)
    assert link64.W.dtype == numpy.float64


def test_zero_weights_give_log2_per_id():
    link = NegativeSampling(2, _COUNTS, 3)
    x = numpy.random.uniform(-1, 1, (4, 2)).astype(numpy.float32)
    t = numpy.array([0, 1, -1, 4], numpy.int32)
    loss = link(x, t, reduce='no')
    numpy.testing.assert_allclose(loss.array,
                                  [4 * numpy.log(2)] * 2 + [0] +
                                  [4 * numpy.log(2)], rtol=1e-6)


def test_forward_matches_function_with_same_draws():
    link = NegativeSampling(3, _COUNTS, 2)
    link.W.array[...] = numpy.random.uniform(-1, 1, (5, 3))
    x = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    t = numpy.array([0, 2, 3, 4], numpy.int32)
    numpy.random.seed(7)
    loss, samples = link(x, t, return_samples=True)
    numpy.random.seed(7)
    expected, expected_samples = F.negative_sampling(
        x, t, link.W, link.sampler.sample, 2, return_samples=True)
    numpy.testing.assert_array_equal(samples, expected_samples)
    numpy.testing.assert_allclose(loss.array, expected.array, rtol=1e-6)
    # Reference of the loss from the drawn ids.
    w = link.W.array.astype(numpy.float64)
    total = 0.0
    for i in range(4):
        total += numpy.logaddexp(0, -x[i].dot(w[t[i]]))
        for j in samples[i, 1:]:
            total += numpy.logaddexp(0, x[i].dot(w[j]))
    numpy.testing.assert_allclose(float(loss.array), total, rtol=1e-5)
    loss.backward()
    assert link.W.grad.shape == (5, 3)


def test_device_moves_carry_the_sampler():
    link = NegativeSampling(3, _COUNTS, 2)
    assert link.to_cpu() is link
    assert isinstance(link.sampler.device, backend.CpuDevice)
    link.to_device('@numpy')
    assert isinstance(link.sampler.threshold, numpy.ndarray)


@testing.attr.gpu
def test_to_gpu_moves_the_sampler():
    link = NegativeSampling(3, _COUNTS, 2).to_gpu()
    assert link.sampler.use_gpu
    x = link.xp.ones((2, 3), numpy.float32)
    t = link.xp.array([0, 1], numpy.int32)
    assert link(x, t).shape == ()


def test_serialization_round_trip():
    src = NegativeSampling(3, _COUNTS, 2)
    src.W.array[...] = numpy.random.uniform(-1, 1, (5, 3))
    dst = NegativeSampling(3, _COUNTS, 2)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)


def test_bad_reduce():
    link = NegativeSampling(3, _COUNTS, 2)
    with pytest.raises(ValueError, match='negative_sampling: reduce'):
        link(numpy.ones((1, 3), numpy.float32), numpy.array([0], 'i'),
             reduce='mean')
