"""scatter_dataset, scatter_index, the multi-node evaluator and the
observation aggregator on 3 ranks (10 examples do not divide by 3)."""
import os
import pickle

import numpy
import pytest

SIZE = 3
N = 10
EQUAL = [(0, 4), (3, 7), (6, 10)]       # ceil(10 / 3) = 4 each
DISJOINT = [(0, 4), (4, 7), (7, 10)]


@pytest.fixture(scope='module')
def ranks(tmp_path_factory, mpi):
    outdir = tmp_path_factory.mktemp('datasets')
    mpi(SIZE, 'datasets_and_extensions.py', outdir)
    results = []
    for rank in range(SIZE):
        with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)),
                  'rb') as f:
            results.append(pickle.load(f))
    return results


def test_scatter_index(ranks):
    for rank, result in enumerate(ranks):
        assert result['index'] == EQUAL[rank]
        assert result['index_disjoint'] == DISJOINT[rank]


def test_scatter_dataset_gives_equal_consecutive_parts(ranks):
    for rank, result in enumerate(ranks):
        begin, end = EQUAL[rank]
        assert result['pairs_type'] == 'SubDataset'
        assert len(result['pairs']) == 4
        for i, (x, t) in zip(range(begin, end), result['pairs']):
            numpy.testing.assert_array_equal(x, [2 * i, 2 * i + 1])
            assert x.dtype == numpy.float32
            assert t == i and t.dtype == numpy.int32


def test_scatter_dataset_from_another_root(ranks):
    for rank, result in enumerate(ranks):
        begin, end = EQUAL[rank]
        assert result['words_root1'] == ['w{}'.format(i)
                                         for i in range(begin, end)]


def test_shuffled_split_follows_the_seeded_permutation(ranks):
    order = numpy.random.RandomState(3).permutation(N)
    seen = []
    for rank, result in enumerate(ranks):
        begin, end = EQUAL[rank]
        assert result['shuffled'] == ['w{}'.format(i)
                                      for i in order[begin:end]]
        seen += result['shuffled']
    assert set(seen) == {'w{}'.format(i) for i in range(N)}


def test_disjoint_split_covers_each_example_once(ranks):
    together = [int(v) for result in ranks for v in result['disjoint']]
    assert together == list(range(N))


def test_bad_dataset_raises_on_every_rank(ranks):
    for result in ranks:
        assert 'scatter_dataset' in result['error']
        assert 'got int' in result['error']


def test_evaluator_returns_the_mean_of_the_ranks_everywhere(ranks):
    local = [result['local_evaluation'] for result in ranks]
    assert len({r['value'] for r in local}) == SIZE   # really different
    expected = numpy.mean([r['value'] for r in local])
    for result in ranks:
        assert result['evaluator_class'] == 'Evaluator'
        assert set(result['evaluation']) == {'value', 'count'}
        assert result['evaluation']['value'] == pytest.approx(expected)
        assert result['evaluation']['count'] == pytest.approx(2.0)


def test_evaluator_failure_on_one_rank_reaches_all(ranks):
    assert 'dataset is empty' in ranks[0]['evaluator_error']
    for result in ranks[1:]:
        assert 'evaluation failed on rank 0' in result['evaluator_error']


def test_observation_aggregator(ranks):
    expected = numpy.mean([10 * r + s for r in range(SIZE)
                           for s in range(2)])
    for rank, result in enumerate(ranks):
        # Nothing until the communication trigger fires...
        assert 'main/mean_loss' not in result['aggregated_0']
        # ... then the mean over ranks and iterations, under the new key.
        assert result['aggregated_1']['main/mean_loss'] == \
            pytest.approx(expected)
        assert result['aggregated_1']['main/loss'] == 10 * rank + 1
