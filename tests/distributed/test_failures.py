"""A rank that dies must take the job down with it, quickly, instead of
leaving the others waiting forever in a collective operation."""
import time

import pytest

from dynet.distributed import _launcher

TIMEOUT = 60


def run_dead_rank(mpi, mode):
    start = time.time()
    result = mpi(2, 'dead_rank.py', mode, timeout=TIMEOUT, check=False)
    elapsed = time.time() - start
    output = result.stdout + result.stderr
    assert 'rank 0 is ready' in output and 'rank 1 is ready' in output, \
        mpi.describe(result)
    assert result.returncode != 0, mpi.describe(result)
    assert elapsed < TIMEOUT
    return output


def test_uncaught_exception_aborts_every_rank(mpi):
    output = run_dead_rank(mpi, 'raise')
    assert 'RuntimeError: simulated error on rank 1' in output
    assert 'uncaught exception on rank 1 of 2' in output
    assert 'MPI_Abort' in output


@pytest.mark.parametrize('mode,open_mpi_words', [
    ('kill', ['rank 1', 'signal 9']),
    ('exit', ['Exit code:', '3']),
])
def test_killed_or_exited_rank_ends_the_job(mpi, mode, open_mpi_words):
    output = run_dead_rank(mpi, mode)
    if _launcher._is_open_mpi(_launcher.find_mpiexec()):
        for word in open_mpi_words:
            assert word in output, output
