"""'pure_nccl': gradients of CuPy models averaged with NCCL on the GPU.

UNTESTED where this was written (no GPU): its tests are marked ``gpu``.

Only ``bcast_data`` and the gradient averages use NCCL; the other methods
(``bcast``, ``send``, the ``*_obj`` ones ...) are the MPI ones, staging CuPy
arrays through host memory. Each process must select its GPU before the
first collective on the model, normally
``dynet.get_device(comm.intra_rank).use()``: the NCCL communicator is
created, on the current device, at the first ``bcast_data`` or
``multi_node_mean_grad``.
"""
import numpy

from dynet.config import config
from dynet.backend import _cupy
from dynet.distributed import _packing
from dynet.distributed.mpi_communicator import MpiCommunicatorBase

# ncclDataType_t and ncclRedOp_t values (fixed by nccl.h), used when the
# CuPy build does not export the names.
_NCCL_UINT8 = 1
_NCCL_TYPES = {'float16': 6, 'float32': 7, 'float64': 8}
_NCCL_SUM = 0


def _import_nccl():
    cupy = _cupy.require_cupy("the 'pure_nccl' communicator")
    try:
        from cupy.cuda import nccl
    except ImportError as error:
        raise RuntimeError(
            "the 'pure_nccl' communicator needs CuPy built with NCCL "
            "(install NCCL 2 and a CuPy wheel that includes it); use "
            "create_communicator('flat') for CPU training ({})".format(
                error)) from error
    if not getattr(nccl, 'available', True):
        raise RuntimeError("the 'pure_nccl' communicator needs NCCL, which "
                           "this CuPy cannot load")
    return cupy, nccl


class PureNcclCommunicator(MpiCommunicatorBase):
    """Averages CuPy gradients with one NCCL all-reduce over a packed
    buffer on the GPU.

    Args:
        mpi_comm: the mpi4py communicator (``MPI.COMM_WORLD`` by default).
        allreduce_grad_dtype: the dtype the gradients are summed in
            (float16, float32 or float64). None: float16 when
            ``config.dtype`` is float16 or mixed16, else the widest
            gradient dtype (at least float32).
    """

    def __init__(self, mpi_comm=None, allreduce_grad_dtype=None):
        self._cupy, self._nccl = _import_nccl()
        super().__init__(mpi_comm)
        self.allreduce_grad_dtype = _check_grad_dtype(allreduce_grad_dtype)
        self._nccl_comm = None
        self._stream = None

    def _split_kwargs(self):
        return {'allreduce_grad_dtype': self.allreduce_grad_dtype}

    def set_config(self, name, value=True, **kwargs):
        """``set_config('allreduce_grad_dtype', dtype)`` (ChainerMN's
        knob); 'batched_copy' is accepted and ignored (packing is always
        batched here)."""
        if name == 'allreduce_grad_dtype':
            self.allreduce_grad_dtype = _check_grad_dtype(value)
        elif name != 'batched_copy':
            raise ValueError('set_config: unknown option {!r}'.format(name))

    def get_config(self, name=None):
        if name == 'allreduce_grad_dtype':
            return self.allreduce_grad_dtype
        if name == 'batched_copy':
            return True
        raise ValueError('get_config: unknown option {!r}'.format(name))

    # -------------------------------------------------------------- NCCL
    def _nccl_communicator(self):
        """The NCCL communicator, created (collectively) on first use on
        the current CUDA device."""
        if self._nccl_comm is None:
            unique_id = self._nccl.get_unique_id() if self.rank == 0 \
                else None
            unique_id = self.mpi_comm.bcast(unique_id, root=0)
            self._nccl_comm = self._nccl.NcclCommunicator(
                self.size, unique_id, self.rank)
        return self._nccl_comm

    def _nccl_type(self, dtype):
        name = numpy.dtype(dtype).name
        return getattr(self._nccl, 'NCCL_' + name.upper(), _NCCL_TYPES[name])

    def _sum_op(self):
        return getattr(self._nccl, 'NCCL_SUM', _NCCL_SUM)

    def _require_cupy(self, function, params):
        xp = _packing.array_module(params, function)
        if xp is numpy and params:
            raise TypeError(
                "{}: the 'pure_nccl' communicator needs the model on a GPU "
                "(its arrays are NumPy arrays); call model.to_device(...) "
                "first, or use create_communicator('flat') for CPU "
                "training".format(function))
        return xp

    def _transfer_dtype(self, params):
        if self.allreduce_grad_dtype is not None:
            return self.allreduce_grad_dtype
        configured = config.dtype
        name = configured if isinstance(configured, str) else \
            getattr(configured, 'name', '')
        if name in ('float16', 'mixed16'):
            return numpy.dtype(numpy.float16)
        return _packing.transfer_dtype(params)

    # ------------------------------------------------------------ models
    def bcast_data(self, model):
        params = self._params_to_broadcast(model)
        if not params:
            return
        self._require_cupy('bcast_data', params)
        comm = self._nccl_communicator()
        stream = self._cupy.cuda.get_current_stream()
        for _, param in params:
            array = param.array
            contiguous = self._cupy.ascontiguousarray(array)
            comm.bcast(contiguous.data.ptr, contiguous.nbytes,
                       getattr(self._nccl, 'NCCL_UINT8', _NCCL_UINT8), 0,
                       stream.ptr)
            if contiguous is not array:
                array[...] = contiguous
        stream.synchronize()

    def _packed_sum(self, params, stream):
        """Packs the gradients and sums them on ``stream``; returns the
        buffer (the sum is complete once ``stream`` is)."""
        xp = self._require_cupy('multi_node_mean_grad', params)
        dtype = self._transfer_dtype(params)
        buffer = _packing.pack_grads(params, dtype, xp)
        current = self._cupy.cuda.get_current_stream()
        if stream is not current:
            # The packing runs on the current stream; the sum must wait.
            stream.wait_event(current.record())
        with stream:
            self._nccl_communicator().allReduce(
                buffer.data.ptr, buffer.data.ptr, buffer.size,
                self._nccl_type(dtype), self._sum_op(), stream.ptr)
            buffer *= buffer.dtype.type(1.0 / self.size)
        return buffer

    def multi_node_mean_grad(self, model, zero_fill=False):
        params = _packing.grad_params(model, zero_fill)
        self._check_grad_layout('multi_node_mean_grad', params,
                                _packing.transfer_dtype(params))
        if not params:
            return
        stream = self._cupy.cuda.get_current_stream()
        buffer = self._packed_sum(params, stream)
        _packing.unpack_grads(params, buffer)

    def _start_mean_grad(self, model, zero_fill):
        params = _packing.grad_params(model, zero_fill)
        self._check_grad_layout('multi_node_mean_grad', params,
                                _packing.transfer_dtype(params))
        if self._stream is None:
            self._stream = self._cupy.cuda.Stream(non_blocking=True)
        stream = self._stream
        buffer = self._packed_sum(params, stream) if params else None
        return _PendingNcclMean(self._cupy, params, buffer, stream)

    def finalize(self):
        super().finalize()
        if self._nccl_comm is not None:
            destroy = getattr(self._nccl_comm, 'destroy', None)
            if destroy is not None:
                destroy()
            self._nccl_comm = None


class _PendingNcclMean:

    def __init__(self, cupy, params, buffer, stream):
        self._cupy = cupy
        self._params = params
        self._buffer = buffer
        self._stream = stream

    def finish(self):
        if self._buffer is None:
            return
        current = self._cupy.cuda.get_current_stream()
        current.wait_event(self._stream.record())
        _packing.unpack_grads(self._params, self._buffer)


def _check_grad_dtype(dtype):
    if dtype is None:
        return None
    try:
        dtype = numpy.dtype(dtype)
    except TypeError:
        dtype = None
    if dtype is None or dtype.name not in _NCCL_TYPES:
        raise ValueError('allreduce_grad_dtype must be numpy.float16, '
                         'float32, float64 or None, got {!r}'.format(dtype))
    return dtype
