"""The 'pure_nccl' communicator. The GPU tests could not be run where this
was written (no GPU); they skip where CuPy or GPUs are missing."""
import os
import pickle

import numpy
import pytest

from dynet.testing import attr

from dynet.backend import _cupy


def read(outdir, size):
    results = []
    for rank in range(size):
        with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)),
                  'rb') as f:
            results.append(pickle.load(f))
    return results


def test_clear_error_without_cupy(tmp_path, mpi):
    if _cupy.cupy_or_none() is not None:
        pytest.skip('CuPy and a GPU are available here')
    mpi(1, 'pure_nccl.py', tmp_path, 'unavailable')
    result, = read(tmp_path, 1)
    for key in ('error', 'old_name_error'):
        assert "'pure_nccl' communicator" in result[key]
        assert 'CuPy' in result[key]
    assert result['old_name_warned']


def check_gpu_results(results, inputs):
    size = len(results)
    expected = inputs.expected_means(size)
    for result in results:
        for name, array in results[0]['bcast_data'].items():
            numpy.testing.assert_array_equal(result['bcast_data'][name],
                                             array)
        for name, mean in expected.items():
            for key, rtol in (('mean', 1e-6), ('mean_async', 1e-6),
                              ('mean_f16_transfer', 2e-3)):
                actual = result[key][name]
                assert actual.dtype == numpy.float32
                numpy.testing.assert_allclose(actual, mean, rtol=rtol,
                                              err_msg=key + ' ' + name)
        numpy.testing.assert_array_equal(
            result['allreduce'], sum(inputs.array(r) for r in range(size)))
        numpy.testing.assert_array_equal(result['bcast'],
                                         inputs.array(size - 1))
        assert 'needs the model on a GPU' in result['cpu_error']


@attr.gpu
def test_pure_nccl_single_gpu(tmp_path, mpi, inputs):
    mpi(1, 'pure_nccl.py', tmp_path)
    check_gpu_results(read(tmp_path, 1), inputs)


@attr.multi_gpu(2)
def test_pure_nccl_two_gpus(tmp_path, mpi, inputs):
    mpi(2, 'pure_nccl.py', tmp_path)
    check_gpu_results(read(tmp_path, 2), inputs)
