"""create_multi_node_checkpointer: a crashed 2-rank job resumes from the
newest snapshot that every rank has and ends exactly as an uninterrupted
run (the resumed part crosses an epoch end, where the iterators reshuffle
with the restored random state)."""
import os
import pickle
import shutil

import numpy
import pytest

import dynet.distributed as dd


def read_results(outdir, size=2):
    results = []
    for rank in range(size):
        with open(os.path.join(outdir, 'result{}.pkl'.format(rank)),
                  'rb') as f:
            results.append(pickle.load(f))
    return results


def test_crash_then_resume_from_newest_common_snapshot(tmp_path, mpi):
    work = tmp_path / 'resumed'
    work.mkdir()
    crashed = mpi(2, 'checkpoint.py', work, 'crash', check=False)
    assert crashed.returncode not in (0, None)
    output = crashed.stdout + crashed.stderr
    assert 'simulated failure on rank 0' in output
    snapshots = sorted(p.name for p in work.iterdir()
                       if p.name.startswith('ckpt.'))
    # Saved every 2 iterations; every 2 saves, all but the 2 newest
    # common ones were removed.
    assert snapshots == ['ckpt.{}.{}'.format(rank, it) for rank in (0, 1)
                         for it in (10, 12)]
    # Rank 1 alone has a newer snapshot: it must not be used.
    shutil.copy(work / 'ckpt.1.12', work / 'ckpt.1.14')

    mpi(2, 'checkpoint.py', work, 'resume')
    resumed = read_results(work)

    straight_dir = tmp_path / 'straight'
    straight_dir.mkdir()
    mpi(2, 'checkpoint.py', straight_dir, 'straight')
    straight = read_results(straight_dir)

    for rank in range(2):
        assert resumed[rank]['loaded'] == 12
        # Right after loading: rank 1's stray, newer snapshot is gone (it
        # must never look common after a later crash).
        assert resumed[rank]['files_after_load'] == [
            'ckpt.{}.{}'.format(rank, it) for it in (10, 12)]
        assert resumed[rank]['iteration'] == 20
        assert straight[rank]['loaded'] is None
        # A successful run removes its snapshots.
        assert resumed[rank]['files'] == []
        assert straight[rank]['files'] == []
        for name, array in straight[rank]['params'].items():
            numpy.testing.assert_allclose(
                resumed[rank]['params'][name], array, rtol=1e-6, atol=1e-7,
                err_msg='rank {} {}'.format(rank, name))


class _FakeComm(dd.CommunicatorBase):
    rank, size = 0, 1


@pytest.mark.parametrize('kwargs,words', [
    ({'name': 'a.b'}, ['name', "'.'"]),
    ({'name': ''}, ['name']),
    ({'name': 'run', 'cp_interval': 0}, ['cp_interval', 'positive']),
    ({'name': 'run', 'gc_interval': 1.5}, ['gc_interval']),
])
def test_bad_arguments(kwargs, words):
    with pytest.raises(ValueError) as info:
        dd.create_multi_node_checkpointer(comm=_FakeComm(), **kwargs)
    for word in words:
        assert word in str(info.value)
    assert 'create_multi_node_checkpointer' in str(info.value)


def test_comm_must_be_a_communicator():
    with pytest.raises(TypeError, match='comm must be'):
        dd.create_multi_node_checkpointer('run', comm=object())
