"""Tests of L.DecorrelatedBatchNormalization."""
import warnings

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import serializers
from dynet import testing


def _batch(shape=(6, 4, 3), seed=None):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-1, 1, shape)
    mix = numpy.eye(shape[1]) + 0.5  # correlated channels
    return numpy.moveaxis(numpy.moveaxis(x, 1, -1) @ mix, -1, 1).astype(
        numpy.float32)


def _statistics(x, groups, eps=2e-5):
    """Batch mean (groups, C) and whitening matrices (groups, C, C) of x,
    computed in float64 with an SVD (independent of the eigh used by the
    function)."""
    means, ws = [], []
    for part in numpy.split(x.astype(numpy.float64), groups, axis=1):
        mat = numpy.moveaxis(part, 1, 0).reshape(part.shape[1], -1)
        mean = mat.mean(axis=1)
        xc = mat - mean[:, None]
        cov = xc @ xc.T / mat.shape[1] + eps * numpy.eye(mat.shape[0])
        u, s, _ = numpy.linalg.svd(cov)
        means.append(mean)
        ws.append((u / numpy.sqrt(s)) @ u.T)
    return numpy.stack(means), numpy.stack(ws)


def _apply(x, mean, projection, groups):
    """Reference of the testing mode (float64)."""
    parts = []
    for part, m, p in zip(numpy.split(x.astype(numpy.float64), groups,
                                      axis=1), mean, projection):
        moved = numpy.moveaxis(part, 1, -1) - m
        parts.append(numpy.moveaxis(moved @ p.T, -1, 1))
    return numpy.concatenate(parts, axis=1)


def test_initial_state():
    link = L.DecorrelatedBatchNormalization(6, groups=3)
    assert link.avg_mean.shape == (3, 2) and link.avg_mean.dtype == \
        numpy.float32
    numpy.testing.assert_array_equal(link.avg_mean, 0)
    assert link.avg_projection.shape == (3, 2, 2)
    for p in link.avg_projection:
        numpy.testing.assert_array_equal(p, numpy.eye(2))
    assert link.N == 0 and link.groups == 3
    assert link.decay == 0.9 and link.eps == 2e-5
    assert list(link.params()) == []
    defaults = L.DecorrelatedBatchNormalization(32)
    assert defaults.avg_mean.shape == (16, 2)
    assert L.DecorrelatedBatchNormalization(
        4, groups=2, dtype=numpy.float64).avg_projection.dtype == \
        numpy.float64


@pytest.mark.parametrize('args', [(5, 2), (4, 0), (4, 2.0), (0, 1)])
def test_invalid_size_or_groups(args):
    with pytest.raises(ValueError, match='DecorrelatedBatchNormalization'):
        L.DecorrelatedBatchNormalization(*args)


class TestTrainingForward(testing.LinkTestCase):

    param_names = ()
    check_forward_options = {'atol': 1e-4, 'rtol': 1e-4}
    check_backward_options = {'eps': 1e-3, 'atol': 1e-3, 'rtol': 1e-3}

    def create_link(self, initializers):
        return L.DecorrelatedBatchNormalization(4, groups=2)

    def generate_params(self):
        return ()

    def generate_inputs(self):
        return _batch((5, 4, 2)),

    def forward_expected(self, link, inputs):
        x, = inputs
        mean, w = _statistics(x, 2)
        return _apply(x, mean, w, 2).astype(numpy.float32),


def test_training_updates_moving_averages():
    link = L.DecorrelatedBatchNormalization(4, groups=2, decay=0.8)
    x1, x2 = _batch(seed=0), _batch(seed=1)
    link(x1)
    link(x2)
    m = 6 * 3
    mean1, w1 = _statistics(x1, 2)
    mean2, w2 = _statistics(x2, 2)
    eye = numpy.broadcast_to(numpy.eye(2), (2, 2, 2))
    expected_mean = 0.8 * (0.2 * mean1) + 0.2 * mean2
    adjust = m / (m - 1)
    expected_projection = 0.8 * (0.8 * eye + 0.2 * adjust * w1) + \
        0.2 * adjust * w2
    numpy.testing.assert_allclose(link.avg_mean, expected_mean,
                                  rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(link.avg_projection, expected_projection,
                                  rtol=1e-4, atol=1e-5)
    assert link.N == 0


def test_test_mode_uses_the_population_statistics():
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    for seed in range(3):
        link(_batch(seed=seed))
    mean = link.avg_mean.copy()
    projection = link.avg_projection.copy()
    x = _batch(seed=9)
    with dynet.using_config('train', False):
        y = link(x)
        y_first = link(x[:1])
    numpy.testing.assert_allclose(y.array, _apply(x, mean, projection, 2),
                                  rtol=1e-5, atol=1e-5)
    numpy.testing.assert_allclose(y.array[:1], y_first.array, rtol=1e-6)
    numpy.testing.assert_array_equal(link.avg_mean, mean)
    numpy.testing.assert_array_equal(link.avg_projection, projection)


def test_test_mode_casts_statistics_to_the_input_dtype():
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    with dynet.using_config('train', False):
        y = link(_batch().astype(numpy.float64))
    assert y.dtype == numpy.float64


def test_finetune_averages_batch_statistics_exactly():
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    link(_batch(seed=5))  # ordinary training first
    link.start_finetuning()
    batches = [_batch(seed=seed) for seed in range(3)]
    for x in batches:
        link(x, finetune=True)
    assert link.N == 3
    stats = [_statistics(x, 2) for x in batches]
    m = 6 * 3
    numpy.testing.assert_allclose(
        link.avg_mean, numpy.mean([s[0] for s in stats], axis=0),
        rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(
        link.avg_projection,
        numpy.mean([s[1] for s in stats], axis=0) * m / (m - 1),
        rtol=1e-4, atol=1e-5)
    link.start_finetuning()
    assert link.N == 0


def test_recomputed_forward_does_not_update():
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    with dynet.using_config('in_recomputing', True):
        link(_batch(), finetune=True)
    assert link.N == 0
    numpy.testing.assert_array_equal(link.avg_mean, 0)


def test_unknown_keyword_argument():
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    with pytest.raises(TypeError, match='finetun'):
        link(_batch(), finetun=True)


@pytest.mark.parametrize('save_and_load', ['npz', 'hdf5'])
def test_serialization_round_trip(save_and_load):
    if save_and_load == 'hdf5':
        pytest.importorskip('h5py')
    round_trip = getattr(testing, 'save_and_load_' + save_and_load)
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    link(_batch(seed=0))
    link(_batch(seed=1), finetune=True)
    target = L.DecorrelatedBatchNormalization(4, groups=2)
    round_trip(link, target)
    numpy.testing.assert_array_equal(target.avg_mean, link.avg_mean)
    numpy.testing.assert_array_equal(target.avg_projection,
                                     link.avg_projection)
    assert target.N == 1 and isinstance(target.N, int)


def test_saved_keys(tmp_path):
    path = str(tmp_path / 'dbn.npz')
    serializers.save_npz(path, L.DecorrelatedBatchNormalization(4, groups=2))
    with numpy.load(path) as data:
        assert sorted(data.files) == ['N', 'avg_mean', 'avg_projection']


def _save_old_layout(path, mean, projection, n=0):
    numpy.savez(path, avg_mean=mean, avg_projection=projection,
                N=numpy.array(n))


def test_loading_the_old_layout_broadcasts_with_a_warning(tmp_path):
    path = str(tmp_path / 'old.npz')
    _save_old_layout(path, numpy.array([1., 2.], numpy.float32),
                     3 * numpy.eye(2, dtype=numpy.float32), 4)
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    with pytest.warns(UserWarning, match='Chainer v6'):
        serializers.load_npz(path, link)
    numpy.testing.assert_array_equal(link.avg_mean, [[1, 2], [1, 2]])
    numpy.testing.assert_array_equal(link.avg_projection[1],
                                     3 * numpy.eye(2))
    assert link.N == 4
    single = L.DecorrelatedBatchNormalization(2, groups=1)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        serializers.load_npz(path, single)  # same algorithm: no warning
    numpy.testing.assert_array_equal(single.avg_mean, [[1, 2]])


def test_loading_a_wrong_shape_changes_nothing(tmp_path):
    path = str(tmp_path / 'bad.npz')
    _save_old_layout(path, numpy.zeros(2, numpy.float32),
                     numpy.eye(3, dtype=numpy.float32), 7)
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    link(_batch())
    mean, projection = link.avg_mean.copy(), link.avg_projection.copy()
    with pytest.raises(ValueError, match='avg_projection'):
        serializers.load_npz(path, link)
    numpy.testing.assert_array_equal(link.avg_mean, mean)
    numpy.testing.assert_array_equal(link.avg_projection, projection)
    assert link.N == 0


def test_to_device_on_cpu_and_inside_a_chain():
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    assert link.to_device('@numpy') is link
    assert isinstance(link.avg_projection, numpy.ndarray)
    chain = dynet.Sequential(L.Linear(3, 4), link, F.relu)
    y = chain(numpy.ones((5, 3), numpy.float32))
    assert y.shape == (5, 4)
    assert 'DecorrelatedBatchNormalization(size=4, groups=2' in repr(link)
