"""Data-parallel training on 2 ranks equals single-process training on the
concatenated batches (the mean loss of equal batches makes the averaged
gradient the full-batch gradient)."""
import os
import pickle

import numpy
import pytest

ITERATIONS = 6
BATCH_PER_RANK = 8
SIZE = 2


@pytest.fixture(scope='module')
def ranks(tmp_path_factory, mpi):
    outdir = tmp_path_factory.mktemp('data_parallel')
    mpi(SIZE, 'data_parallel.py', outdir, ITERATIONS, BATCH_PER_RANK)
    results = []
    for rank in range(SIZE):
        with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)),
                  'rb') as f:
            results.append(pickle.load(f))
    return results


def _mlp():
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        '_scripts', '_mlp.py')
    spec = importlib.util.spec_from_file_location('distributed_mlp', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def single_process_reference(double_buffering):
    """One process, the global batch of every step, rank 0's initial
    weights. Step 0 only initializes (the multi-node optimizer broadcasts
    instead of updating); with double buffering each update uses the
    gradients of the step before."""
    m = _mlp()
    model = m.make_model(seed=100)
    optimizer = m.make_optimizer()
    optimizer.setup(model)
    x, t = m.data(ITERATIONS * BATCH_PER_RANK * SIZE)
    pending = None
    for iteration in range(ITERATIONS):
        batch = m.global_batch(x, t, iteration, BATCH_PER_RANK, SIZE)
        model.cleargrads()
        model(*batch).backward()
        if iteration == 0:
            continue   # the broadcast step
        if not double_buffering:
            optimizer.update()
            continue
        grads = {name: p.grad.copy() for name, p in model.namedparams()}
        if pending is not None:
            for name, param in model.namedparams():
                param.grad = pending[name]
            optimizer.update()
        pending = grads
    return m.params(model), optimizer.t


@pytest.mark.parametrize('mode', ['plain', 'double'])
def test_two_ranks_match_one_process_on_the_concatenated_batches(ranks,
                                                                 mode):
    expected, expected_t = single_process_reference(mode == 'double')
    assert expected_t == (ITERATIONS - 1 if mode == 'plain'
                          else ITERATIONS - 2)
    for rank, result in enumerate(ranks):
        assert result[mode + '_t'] == expected_t
        assert sorted(result[mode]) == sorted(expected)
        for name, array in expected.items():
            numpy.testing.assert_allclose(
                result[mode][name], array, rtol=1e-5, atol=1e-6,
                err_msg='rank {}, {}'.format(rank, name))


@pytest.mark.parametrize('mode', ['plain', 'double'])
def test_ranks_hold_identical_parameters(ranks, mode):
    for name, array in ranks[0][mode].items():
        numpy.testing.assert_array_equal(ranks[1][mode][name], array)


def test_training_moved_the_parameters(ranks):
    # Guards the comparison above against a run that did nothing.
    m = _mlp()
    initial = m.make_model(seed=100)
    x, t = m.data(BATCH_PER_RANK)
    initial(x, t)
    moved = [not numpy.allclose(ranks[0]['plain'][name], p.array)
             for name, p in initial.namedparams()]
    assert all(moved)
