"""Tests of dynet.utils.walker_alias.WalkerAlias."""
import numpy
import pytest

from dynet import backend
from dynet import testing
from dynet.utils.walker_alias import WalkerAlias


def _implied_probabilities(sampler):
    """The distribution the table encodes: slot k (mass 1/n) gives
    values[2k] below its threshold and values[2k + 1] above it."""
    n = len(sampler.threshold)
    p = numpy.zeros(n)
    for k in range(n):
        keep = min(max(float(sampler.threshold[k]), 0.0), 1.0)
        p[sampler.values[2 * k]] += keep / n
        p[sampler.values[2 * k + 1]] += (1 - keep) / n
    return p


def test_worked_example_table():
    # Scaled masses 0.3, 0.6, 2.1: outcome 2 tops up slot 0 (by 0.7) and
    # slot 1 (by 0.4) and keeps 1.0 for its own slot, whose alias is 0.
    sampler = WalkerAlias([0.1, 0.2, 0.7])
    numpy.testing.assert_allclose(sampler.threshold, [0.3, 0.6, 1.0],
                                  rtol=1e-6)
    numpy.testing.assert_array_equal(sampler.values, [0, 2, 1, 2, 2, 0])
    assert sampler.threshold.dtype == numpy.float32
    assert sampler.values.dtype == numpy.int32


@pytest.mark.parametrize('probs', [
    [1, 2, 3, 4], [5], [0, 1, 0, 3], [3, 3, 3], [1e-3, 1, 100, 7, 0.5, 2],
])
def test_table_encodes_the_distribution(probs):
    sampler = WalkerAlias(probs)
    expected = numpy.asarray(probs, float) / numpy.sum(probs)
    numpy.testing.assert_allclose(_implied_probabilities(sampler), expected,
                                  atol=1e-6)


def test_sample_follows_the_table_and_global_seed():
    sampler = WalkerAlias([1, 2, 3, 4])
    numpy.random.seed(5)
    drawn = sampler.sample((3, 4))
    assert drawn.shape == (3, 4) and drawn.dtype == numpy.int32
    # The same draw from NumPy's global state, decoded by hand.
    numpy.random.seed(5)
    u = numpy.random.uniform(0, 4, (3, 4))
    slot = u.astype(numpy.int32)
    above = sampler.threshold[slot] < (u - slot).astype(numpy.float32)
    numpy.testing.assert_array_equal(
        drawn, sampler.values[2 * slot + above.astype(numpy.int32)])


@testing.fix_random()
def test_sample_frequencies():
    probs = numpy.array([1.0, 2.0, 3.0, 4.0])
    drawn = WalkerAlias(probs).sample((40000,))
    freq = numpy.bincount(drawn, minlength=4) / drawn.size
    numpy.testing.assert_allclose(freq, probs / probs.sum(), atol=0.01)


def test_zero_probability_never_drawn():
    numpy.random.seed(0)
    drawn = WalkerAlias([0, 1, 0, 2]).sample((2000,))
    assert set(numpy.unique(drawn).tolist()) == {1, 3}


def test_device_moves_on_cpu():
    sampler = WalkerAlias([1, 2])
    assert not sampler.use_gpu
    assert isinstance(sampler.device, backend.CpuDevice)
    assert sampler.to_device('@numpy') is sampler
    assert sampler.to_cpu() is sampler
    assert isinstance(sampler.threshold, numpy.ndarray)
    assert sampler.sample_xp(numpy, (2,)).shape == (2,)


@pytest.mark.parametrize('probs,match', [
    ([], 'non-empty 1-D'),
    ([[1, 2]], 'non-empty 1-D'),
    ([1, -1], 'finite and non-negative'),
    ([1, numpy.nan], 'finite and non-negative'),
    ([0, 0], 'sum to zero'),
])
def test_bad_probabilities(probs, match):
    with pytest.raises(ValueError, match='WalkerAlias: probs .*' + match):
        WalkerAlias(probs)


@testing.attr.gpu
def test_gpu_round_trip():
    sampler = WalkerAlias([1, 2, 3]).to_gpu()
    assert sampler.use_gpu
    drawn = sampler.sample((5,))
    assert backend.is_cupy_array(drawn) and drawn.shape == (5,)
    sampler.to_cpu()
    assert isinstance(sampler.sample((2,)), numpy.ndarray)
