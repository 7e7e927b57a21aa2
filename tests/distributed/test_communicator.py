"""Every communicator method, on 2 and 3 ranks (one MPI run per size; the
script is _scripts/communicator_methods.py)."""
import os
import pickle

import numpy
import pytest


@pytest.fixture(scope='module', params=[2, 3], ids=['n2', 'n3'])
def ranks(request, tmp_path_factory, mpi):
    """The results of every rank: ``ranks[r]`` is rank r's dict."""
    n = request.param
    outdir = tmp_path_factory.mktemp('communicator_n{}'.format(n))
    mpi(n, 'communicator_methods.py', outdir)
    results = []
    for rank in range(n):
        with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)),
                  'rb') as f:
            results.append(pickle.load(f))
    return results


def assert_same_array(actual, expected):
    assert isinstance(actual, numpy.ndarray)
    assert actual.dtype == expected.dtype
    assert actual.shape == expected.shape
    numpy.testing.assert_array_equal(actual, expected)


def test_topology(ranks):
    size = len(ranks)
    for rank, result in enumerate(ranks):
        # One host: every process is on node 0, ranked as in the world.
        assert result['topology'] == (rank, size, rank, size, 0, 1)
        assert result['naive_rank'] == (rank, size)


def test_allreduce_is_the_sum(ranks, inputs):
    size = len(ranks)
    expected = sum(inputs.array(r) for r in range(size))
    for result in ranks:
        assert_same_array(result['allreduce'], expected)
        assert_same_array(result['allreduce_f16'],
                          expected.astype(numpy.float16))
        assert_same_array(result['allreduce_int'],
                          numpy.arange(4) * sum(range(size)))


def test_bcast(ranks, inputs):
    expected = inputs.array(len(ranks) - 1)
    for result in ranks:
        assert_same_array(result['bcast'], expected)


def test_gather_to_root_only(ranks, inputs):
    size = len(ranks)
    for rank, result in enumerate(ranks):
        if rank != 1:
            assert result['gather'] is None
            continue
        assert isinstance(result['gather'], tuple)
        assert len(result['gather']) == size
        for source, array in enumerate(result['gather']):
            assert_same_array(array, inputs.ragged(source))


def test_allgather(ranks, inputs):
    for result in ranks:
        assert len(result['allgather']) == len(ranks)
        for source, array in enumerate(result['allgather']):
            assert_same_array(array, inputs.ragged(source))


def test_send_recv_single_array_and_tuple(ranks, inputs):
    size = len(ranks)
    for rank, result in enumerate(ranks):
        left = (rank - 1) % size
        assert_same_array(result['recv_single'], inputs.array(left))
        received = result['recv_tuple']
        assert isinstance(received, tuple) and len(received) == 3
        for actual, expected in zip(received, inputs.message(left)):
            assert_same_array(actual, expected)


def test_scatter(ranks, inputs):
    size = len(ranks)
    table = numpy.arange(size * 3, dtype=numpy.int16).reshape(size, 3)
    for rank, result in enumerate(ranks):
        assert_same_array(result['scatter_tuple'], inputs.ragged(rank))
        assert_same_array(result['scatter_array'], table[rank])


def test_alltoall(ranks, inputs):
    size = len(ranks)
    for rank, result in enumerate(ranks):
        assert len(result['alltoall']) == size
        for source, array in enumerate(result['alltoall']):
            assert_same_array(array, inputs.alltoall_piece(source, rank))


def test_bcast_obj_in_small_pieces(ranks):
    expected = {'rank': len(ranks) - 1, 'payload': list(range(50))}
    for result in ranks:
        assert result['bcast_obj'] == expected


def test_gather_obj_allgather_obj_allreduce_obj(ranks):
    size = len(ranks)
    assert ranks[0]['gather_obj'] == [('r', r) for r in range(size)]
    for rank, result in enumerate(ranks):
        if rank:
            assert result['gather_obj'] is None
        assert result['allgather_obj'] == [2 * r for r in range(size)]
        assert result['allreduce_obj'] == sum(range(1, size + 1))
        numpy.testing.assert_array_equal(result['allreduce_obj_array'],
                                         [sum(range(size))] * 2)


def test_send_obj_recv_obj(ranks):
    for rank, result in enumerate(ranks):
        assert result['recv_obj'] == (None if rank == 0 else {'to': rank})


def test_split(ranks):
    size = len(ranks)
    for rank, result in enumerate(ranks):
        group = [r for r in range(size) if r % 2 == rank % 2]
        # key = -rank: the highest world rank comes first.
        expected_rank = sorted(group, reverse=True).index(rank)
        assert result['split'] == ('FlatCommunicator', expected_rank,
                                   len(group), sum(group))


@pytest.mark.parametrize('key', ['mean_flat', 'mean_naive', 'mean_async',
                                 'allreduce_grad', 'mean_debug'])
def test_gradients_become_the_mean_of_the_ranks(ranks, inputs, key):
    expected = inputs.expected_means(len(ranks))
    assert expected['/l2/b'].any() and not expected['/unused/W'].any()
    for result in ranks:
        assert sorted(result[key]) == sorted(expected)
        for name, mean in expected.items():
            actual = result[key][name]
            assert actual is not None and actual.dtype == numpy.float32
            numpy.testing.assert_allclose(actual, mean, rtol=1e-6,
                                          err_msg=name)


def test_float16_gradients(ranks, inputs):
    expected = inputs.expected_means(len(ranks), numpy.float16)
    for result in ranks:
        for name, mean in expected.items():
            actual = result['mean_f16'][name]
            assert actual.dtype == numpy.float16
            numpy.testing.assert_allclose(actual, mean, rtol=2e-3,
                                          err_msg=name)


def test_allreduce_grad_is_deprecated(ranks):
    assert all(result['allreduce_grad_warned'] for result in ranks)


def test_bcast_data_copies_rank_0(ranks):
    reference = ranks[0]['before_bcast_data']
    assert not numpy.array_equal(reference['/W'],
                                 ranks[1]['before_bcast_data']['/W'])
    for result in ranks:
        for name, array in reference.items():
            assert_same_array(result['after_bcast_data'][name], array)


@pytest.mark.parametrize('key,kind,words', [
    ('error_allreduce_shape', 'ValueError',
     ['allreduce', 'same shape', 'rank 0 has (1,)']),
    ('error_bcast_tuple', 'TypeError', ['bcast', 'x must be', 'tuple']),
    ('error_alltoall_length', 'ValueError', ['alltoall', 'one per rank']),
    ('error_gather_type', 'TypeError', ['gather', 'got list']),
    ('error_scatter_shape', 'ValueError', ['scatter', 'first axis']),
    ('error_mean_layout', 'ValueError',
     ['multi_node_mean_grad', 'rank 1', 'zero_fill=True']),
    ('error_bcast_data', 'ValueError', ['bcast_data', 'differs', '/W']),
])
def test_bad_input_raises_on_every_rank(ranks, key, kind, words):
    # An error on one rank reaches every rank (none is left waiting), and
    # it is the same error everywhere.
    messages = {result[key] for result in ranks}
    assert len(messages) == 1, messages
    (error_kind, message), = messages
    assert error_kind == kind
    for word in words:
        assert word in message, (word, message)


def test_send_of_bad_data_raises_in_the_receiver_too(ranks):
    for result in ranks[:2]:
        kind, message = result['error_send']
        assert kind == 'TypeError'
        assert 'send: data has dtype object' in message
    assert 'on rank 0' in ranks[1]['error_send'][1]   # the receiver's
