"""Tests of L.BatchRenormalization."""
import numpy

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import testing
from dynet import Variable


def _batch(shape=(6, 3, 2), low=-1, high=1):
    return numpy.random.uniform(low, high, shape).astype(numpy.float32)


def test_defaults_behave_as_batch_normalization():
    renorm = L.BatchRenormalization(3)
    norm = L.BatchNormalization(3)
    assert renorm.rmax == 1 and renorm.dmax == 0
    for _ in range(3):
        x = _batch(low=1, high=3)
        numpy.testing.assert_allclose(renorm(x).array, norm(x).array,
                                      rtol=1e-5, atol=1e-5)
    numpy.testing.assert_allclose(renorm.avg_mean, norm.avg_mean, rtol=1e-6)
    numpy.testing.assert_allclose(renorm.avg_var, norm.avg_var, rtol=1e-6)


def test_training_uses_the_running_statistics_before_updating_them():
    link = L.BatchRenormalization(3, rmax=3, dmax=1, decay=0.8)
    link(_batch(low=0, high=2))
    mean, var = link.avg_mean.copy(), link.avg_var.copy()
    x = _batch()
    y = link(x)
    expected = F.batch_renormalization(
        x, link.gamma.array, link.beta.array, 3, 1, running_mean=mean.copy(),
        running_var=var.copy())
    numpy.testing.assert_array_equal(y.array, expected.array)
    x64 = x.astype(numpy.float64)
    numpy.testing.assert_allclose(
        link.avg_mean, 0.8 * mean + 0.2 * x64.mean(axis=(0, 2)), rtol=1e-5)
    numpy.testing.assert_allclose(
        link.avg_var, 0.8 * var + 0.2 * x64.var(axis=(0, 2), ddof=1),
        rtol=1e-5)


def test_freeze_running_statistics():
    link = L.BatchRenormalization(3, rmax=2, dmax=1,
                                  freeze_running_statistics=True)
    link(_batch())
    link(_batch(), finetune=True)
    numpy.testing.assert_array_equal(link.avg_mean, 0)
    numpy.testing.assert_array_equal(link.avg_var, 1)
    assert link.N == 0


def test_test_mode_uses_running_statistics():
    link = L.BatchRenormalization(3, rmax=2, dmax=1)
    for _ in range(3):
        link(_batch(low=1, high=2))
    mean = link.avg_mean.copy()
    x = _batch()
    with dynet.using_config('train', False):
        y = link(x)
        y_first = link(x[:1])
    numpy.testing.assert_array_equal(
        y.array, F.fixed_batch_normalization(
            x, link.gamma, link.beta, link.avg_mean, link.avg_var).array)
    numpy.testing.assert_array_equal(y.array[:1], y_first.array)
    numpy.testing.assert_array_equal(link.avg_mean, mean)


def test_finetune_counts_batches():
    link = L.BatchRenormalization(3)
    batches = [_batch() for _ in range(3)]
    for x in batches:
        link(x, finetune=True)
    assert link.N == 3
    numpy.testing.assert_allclose(
        link.avg_mean,
        numpy.mean([x.astype(numpy.float64).mean(axis=(0, 2))
                    for x in batches], axis=0), rtol=1e-5, atol=1e-7)


def test_gradients_reach_parameters():
    link = L.BatchRenormalization(3, rmax=2, dmax=1)
    x = Variable(_batch())
    F.sum(link(x) ** 3).backward()
    assert x.grad is not None and link.gamma.grad is not None
    assert link.beta.grad is not None


def test_statistics_updated_once_under_forget():
    def run(use_forget):
        numpy.random.seed(1)
        link = L.BatchRenormalization(3, rmax=2, dmax=1)
        link(_batch(low=1, high=2))
        x = Variable(_batch())
        y = F.forget(link, x) if use_forget else link(x)
        F.sum(y * y).backward()
        return link, x.grad
    (plain, plain_grad), (forgot, forgot_grad) = run(False), run(True)
    numpy.testing.assert_array_equal(forgot.avg_mean, plain.avg_mean)
    numpy.testing.assert_array_equal(forgot.avg_var, plain.avg_var)
    numpy.testing.assert_allclose(forgot_grad, plain_grad, rtol=1e-6)


def test_serialization_round_trip():
    link = L.BatchRenormalization(3, rmax=2, dmax=1)
    link(_batch())
    link(_batch(), finetune=True)
    target = L.BatchRenormalization(3)
    testing.save_and_load_npz(link, target)
    numpy.testing.assert_array_equal(target.avg_mean, link.avg_mean)
    numpy.testing.assert_array_equal(target.avg_var, link.avg_var)
    assert target.N == link.N == 1


def test_default_dtype_is_float32():
    with dynet.using_config('dtype', numpy.float64):
        link = L.BatchRenormalization(2)
    assert link.avg_mean.dtype == numpy.float32
    assert link.gamma.dtype == numpy.float32
