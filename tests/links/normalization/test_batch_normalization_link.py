"""Tests of L.BatchNormalization: train / fine-tune / test modes, running
statistics, serialization, deferred size."""
import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import initializers
from dynet import serializers
from dynet import testing
from dynet import Variable


def _batch(shape=(8, 3, 2, 2), low=-1, high=1):
    return numpy.random.uniform(low, high, shape).astype(numpy.float32)


def _fixed_reference(x, link):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = link.avg_mean.astype(numpy.float64).reshape(shape)
    var = link.avg_var.astype(numpy.float64).reshape(shape)
    gamma = link.gamma.array.astype(numpy.float64).reshape(shape)
    beta = link.beta.array.astype(numpy.float64).reshape(shape)
    return gamma * (x - mean) / numpy.sqrt(var + link.eps) + beta


def test_initial_state():
    link = L.BatchNormalization(3)
    assert link.avg_mean.shape == (3,) and link.avg_var.shape == (3,)
    numpy.testing.assert_array_equal(link.avg_mean, 0)
    numpy.testing.assert_array_equal(link.avg_var, 1)
    numpy.testing.assert_array_equal(link.gamma.array, 1)
    numpy.testing.assert_array_equal(link.beta.array, 0)
    assert link.N == 0
    for value in (link.avg_mean, link.avg_var, link.gamma.array,
                  link.beta.array):
        assert value.dtype == numpy.float32
    assert sorted(name for name, _ in link.namedparams()) == \
        ['/beta', '/gamma']
    assert repr(link) == (
        "BatchNormalization(size=3, decay=0.9, eps=2e-05, "
        "dtype=dtype('float32'), use_gamma=True, use_beta=True)")


@pytest.mark.parametrize('config_dtype, dtype, expected', [
    (numpy.float32, numpy.float64, numpy.float64),
    (numpy.float64, None, numpy.float64),
    ('mixed16', None, numpy.float32),
    (numpy.float16, None, numpy.float16),
])
def test_dtype(config_dtype, dtype, expected):
    with dynet.using_config('dtype', config_dtype):
        link = L.BatchNormalization(2, dtype=dtype)
    for value in (link.avg_mean, link.avg_var, link.gamma.array,
                  link.beta.array):
        assert value.dtype == expected


def test_training_mode_normalizes_by_batch_and_updates_moving_averages():
    link = L.BatchNormalization(3, decay=0.8)
    x = _batch()
    y = link(x)
    x64 = x.astype(numpy.float64)
    mean = x64.mean(axis=(0, 2, 3))
    var = x64.var(axis=(0, 2, 3))
    expected = (x64 - mean[None, :, None, None]) / numpy.sqrt(
        var[None, :, None, None] + 2e-5)
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-5, atol=1e-5)
    m = 8 * 2 * 2
    numpy.testing.assert_allclose(link.avg_mean, 0.2 * mean, rtol=1e-5)
    numpy.testing.assert_allclose(link.avg_var,
                                  0.8 + 0.2 * var * m / (m - 1), rtol=1e-5)
    assert link.N == 0


def test_test_mode_uses_running_statistics_and_updates_nothing():
    # The classic pitfall: evaluating in training mode makes each output
    # depend on the rest of the batch.
    link = L.BatchNormalization(3, initial_gamma=2.0, initial_beta=0.5)
    for _ in range(5):
        link(_batch(low=2, high=4))
    mean, var = link.avg_mean.copy(), link.avg_var.copy()
    sample = _batch((1, 3, 2, 2), low=2, high=4)
    batch_a = numpy.concatenate([sample, _batch((4, 3, 2, 2), -9, -5)])
    batch_b = numpy.concatenate([sample, _batch((2, 3, 2, 2), 5, 9)])
    with dynet.using_config('train', False):
        y_a = link(batch_a)
        y_b = link(batch_b)
        y_alone = link(sample)
    numpy.testing.assert_array_equal(y_a.array[:1], y_b.array[:1])
    numpy.testing.assert_array_equal(y_a.array[:1], y_alone.array)
    numpy.testing.assert_allclose(y_a.array, _fixed_reference(batch_a, link),
                                  rtol=1e-5, atol=1e-5)
    numpy.testing.assert_array_equal(link.avg_mean, mean)
    numpy.testing.assert_array_equal(link.avg_var, var)
    assert link.N == 0
    # In training mode the same sample gives batch-dependent outputs.
    y_train_a = link(batch_a)
    y_train_b = link(batch_b)
    assert not numpy.allclose(y_train_a.array[:1], y_train_b.array[:1])


def test_test_mode_is_fixed_batch_normalization_on_any_axis():
    link = L.BatchNormalization(axis=(0, 2))
    x = _batch((5, 3, 4))
    link(x)
    with dynet.using_config('train', False):
        y = link(x)
    expected = F.fixed_batch_normalization(
        x, link.gamma, link.beta, link.avg_mean, link.avg_var,
        axis=(0, 2))
    numpy.testing.assert_array_equal(y.array, expected.array)


def test_finetune_accumulates_exact_average_of_batch_statistics():
    link = L.BatchNormalization(3)
    link(_batch())  # ordinary training first
    batches = [_batch((4, 3)) for _ in range(5)]
    link.start_finetuning()
    for x in batches:
        link(x, finetune=True)
    assert link.N == 5
    means = [x.astype(numpy.float64).mean(axis=0) for x in batches]
    variances = [x.astype(numpy.float64).var(axis=0, ddof=1)
                 for x in batches]
    numpy.testing.assert_allclose(link.avg_mean, numpy.mean(means, axis=0),
                                  rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(link.avg_var,
                                  numpy.mean(variances, axis=0), rtol=1e-5)


def test_finetune_restarts_and_is_ignored_in_test_mode():
    link = L.BatchNormalization(2)
    link(_batch((4, 2)), finetune=True)
    link(_batch((4, 2)), finetune=True)
    assert link.N == 2
    with dynet.using_config('train', False):
        link(_batch((4, 2)), finetune=True)
    assert link.N == 2
    link.start_finetuning()
    assert link.N == 0
    x = _batch((4, 2))
    link(x, finetune=True)
    # The first fine-tuning batch replaces the statistics (decay 0).
    numpy.testing.assert_allclose(
        link.avg_mean, x.astype(numpy.float64).mean(axis=0), rtol=1e-5,
        atol=1e-7)


def test_serialization_round_trip():
    link = L.BatchNormalization(3)
    for _ in range(3):
        link(_batch(low=1, high=3))
    link(_batch(), finetune=True)
    link.gamma.array[:] = [1., 2., 3.]
    assert link.N == 1
    for target in (L.BatchNormalization(3), L.BatchNormalization()):
        testing.save_and_load_npz(link, target)
        numpy.testing.assert_array_equal(target.avg_mean, link.avg_mean)
        numpy.testing.assert_array_equal(target.avg_var, link.avg_var)
        numpy.testing.assert_array_equal(target.gamma.array,
                                         link.gamma.array)
        assert target.N == 1 and isinstance(target.N, int)
        x = _batch()
        with dynet.using_config('train', False):
            numpy.testing.assert_array_equal(target(x).array,
                                             link(x).array)


def test_saved_keys(tmp_path):
    link = L.BatchNormalization(2)
    path = str(tmp_path / 'bn.npz')
    serializers.save_npz(path, link)
    with numpy.load(path) as data:
        assert sorted(data.files) == ['N', 'avg_mean', 'avg_var', 'beta',
                                      'gamma']


def test_loading_a_wrong_shape_is_an_error():
    with pytest.raises(ValueError, match=r'has shape \(3,\)'):
        testing.save_and_load_npz(L.BatchNormalization(3),
                                  L.BatchNormalization(4))


@pytest.mark.parametrize('kwargs, shape, expected', [
    ({}, (5, 3, 2, 2), (3,)),
    ({}, (5, 4), (4,)),
    ({'axis': (0, 2, 3)}, (5, 3, 2, 2), (3,)),
    ({'axis': 0}, (5, 3, 2, 2), (3, 2, 2)),
    ({'axis': (0, -1)}, (5, 3, 2), (3,)),
])
def test_deferred_size(kwargs, shape, expected):
    link = L.BatchNormalization(**kwargs)
    assert link.avg_mean is None and link.gamma.array is None
    x = _batch(shape)
    y = link(x)
    assert link.avg_mean.shape == expected
    assert link.gamma.shape == expected and link.beta.shape == expected
    reference = L.BatchNormalization(expected, axis=kwargs.get('axis'))
    numpy.testing.assert_allclose(y.array, reference(x).array, rtol=1e-6)
    numpy.testing.assert_array_equal(link.avg_mean, reference.avg_mean)


def test_deferred_size_needs_channels():
    with pytest.raises(ValueError, match='give size or axis'):
        L.BatchNormalization()(numpy.zeros(3, numpy.float32))


def test_without_gamma_and_beta():
    link = L.BatchNormalization(3, use_gamma=False, use_beta=False)
    assert link.gamma is None and link.beta is None
    assert list(link.namedparams()) == []
    x = _batch()
    numpy.testing.assert_allclose(
        link(x).array,
        F.batch_normalization(x, numpy.ones(3, numpy.float32),
                              numpy.zeros(3, numpy.float32)).array)


def test_initializers():
    link = L.BatchNormalization(
        2, initial_gamma=numpy.array([2., 3.]), initial_beta=0.5,
        initial_avg_mean=initializers.Constant(4.),
        initial_avg_var=numpy.array([5., 6.]))
    numpy.testing.assert_array_equal(link.gamma.array, [2, 3])
    numpy.testing.assert_array_equal(link.beta.array, [.5, .5])
    numpy.testing.assert_array_equal(link.avg_mean, [4, 4])
    numpy.testing.assert_array_equal(link.avg_var, [5, 6])
    assert link.gamma.dtype == numpy.float32


def test_given_initializer_object_is_not_modified():
    initializer = initializers.Constant(2.0)
    with dynet.using_config('dtype', 'mixed16'):
        link = L.BatchNormalization(2, initial_gamma=initializer)
    assert initializer.dtype is None
    assert link.gamma.dtype == numpy.float32


def test_gradients_reach_parameters():
    link = L.BatchNormalization(3)
    x = Variable(_batch((4, 3)))
    y = link(x)
    F.sum(y * y * numpy.arange(3, dtype=numpy.float32)).backward()
    assert link.gamma.grad is not None and link.beta.grad is not None
    assert x.grad is not None


def test_float16_input_with_mixed16_parameters():
    with dynet.using_config('dtype', 'mixed16'):
        link = L.BatchNormalization(3)
    x = _batch((6, 3)).astype(numpy.float16)
    y = link(x)
    assert y.dtype == numpy.float16 and link.avg_mean.dtype == numpy.float32
    with dynet.using_config('train', False):
        assert link(x).dtype == numpy.float16


def test_statistics_updated_once_under_forget():
    def run(use_forget):
        numpy.random.seed(0)
        link = L.BatchNormalization(3)
        x = Variable(_batch((4, 3)))
        y = F.forget(link, x) if use_forget else link(x)
        F.sum(y * y).backward()
        return link
    plain, forgot = run(False), run(True)
    numpy.testing.assert_array_equal(forgot.avg_mean, plain.avg_mean)
    numpy.testing.assert_array_equal(forgot.avg_var, plain.avg_var)


def test_removed_and_unknown_keywords():
    link = L.BatchNormalization(2)
    x = _batch((3, 2))
    with pytest.raises(ValueError, match='using_config'):
        link(x, test=True)
    with pytest.raises(TypeError, match="'fine_tune'"):
        link(x, fine_tune=True)


def test_axis_of_wrong_type():
    with pytest.raises(RuntimeError, match='axis'):
        L.BatchNormalization(3, axis=1.5)


def test_copy_has_its_own_statistics():
    link = L.BatchNormalization(2)
    clone = link.copy('copy')
    link(_batch((4, 2)))
    numpy.testing.assert_array_equal(clone.avg_mean, 0)
