"""'flat': all gradients packed into one buffer, one MPI all-reduce."""
import numpy

from dynet.distributed import _packing
from dynet.distributed.mpi_communicator import MpiCommunicatorBase


class FlatCommunicator(MpiCommunicatorBase):
    """Averages gradients with a single ``MPI_Allreduce`` over one
    contiguous buffer holding all of them (the fastest choice for CPU
    training: one message instead of one per parameter).

    The buffer has the widest dtype of the gradients, and at least float32
    (MPI cannot add float16). CuPy gradients are copied through host memory
    (any MPI library works; 'pure_nccl' is the fast GPU path).
    """

    def multi_node_mean_grad(self, model, zero_fill=False):
        params = _packing.grad_params(model, zero_fill)
        dtype = _packing.transfer_dtype(params)
        self._check_grad_layout('multi_node_mean_grad', params, dtype)
        if not params:
            return
        xp = _packing.array_module(params, 'multi_node_mean_grad')
        buffer = _packing.pack_grads(params, dtype, xp, self._buffers.get(
            'grad', _packing.element_count(params), dtype, xp))
        if xp is numpy:
            host = buffer
        else:   # staged through host memory
            host = self._buffers.get('host', buffer.size, dtype, numpy)
            buffer.get(out=host)
        self._allreduce_sum_inplace(host)
        if host is not buffer:
            buffer.set(host)
        # Multiplying by 1/size (not dividing) gives the numbers ChainerMN
        # gives.
        _packing.unpack_grads(params, buffer, scale=1.0 / self.size)


class DummyCommunicator(FlatCommunicator):
    """'dummy': packs and unpacks the gradients like 'flat' but does not
    communicate (each rank keeps its own gradients). Only for measuring
    the cost of everything but the communication."""

    def multi_node_mean_grad(self, model, zero_fill=False):
        params = _packing.grad_params(model, zero_fill)
        if not params:
            return
        xp = _packing.array_module(params, 'multi_node_mean_grad')
        buffer = _packing.pack_grads(params, _packing.transfer_dtype(params),
                                     xp)
        _packing.unpack_grads(params, buffer)
