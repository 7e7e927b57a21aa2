"""'naive': one MPI all-reduce per parameter."""
import numpy

from dynet.distributed import _messages
from dynet.distributed import _mpi
from dynet.distributed import _packing
from dynet.distributed.mpi_communicator import MpiCommunicatorBase


class NaiveCommunicator(MpiCommunicatorBase):
    """Averages each gradient with its own ``MPI_Allreduce``, in the
    gradient's dtype (float16 in float32). Simple and slow for models with
    many small parameters; meant for testing. CuPy gradients go through
    host memory.
    """

    def multi_node_mean_grad(self, model, zero_fill=False):
        params = _packing.grad_params(model, zero_fill)
        dtype = _packing.transfer_dtype(params)
        self._check_grad_layout('multi_node_mean_grad', params, dtype)
        for _, param in params:
            if param.grad is None:
                xp = param.xp
                host = numpy.zeros(param.array.size,
                                   _mpi.reduce_dtype(param.array.dtype))
            else:
                xp = param.xp
                host = _messages.to_host(param.grad).reshape(-1).astype(
                    _mpi.reduce_dtype(param.grad.dtype))
            self._allreduce_sum_inplace(host)
            host *= 1.0 / self.size
            mean = host.reshape(param.array.shape).astype(param.array.dtype)
            if param.grad is None:
                param.grad = xp.asarray(mean)
            elif xp is numpy:
                param.grad[...] = mean
            else:
                param.grad.set(mean)
