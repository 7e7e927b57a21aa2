"""Communicators built on MPI (mpi4py): everything except the gradient
average, which each subclass does its own way.

Arrays travel as raw bytes (see ``_messages``), CuPy arrays through host
memory. Sums (``allreduce``) are done by MPI in the array's dtype (float16
in float32).
"""
import pickle

import numpy

from dynet import backend
from dynet.config import config
from dynet.distributed import _background
from dynet.distributed import _messages
from dynet.distributed import _mpi
from dynet.distributed import _packing
from dynet.distributed import _topology
from dynet.distributed.communicator_base import CommunicatorBase

_DEFAULT_MAX_BUF_LEN = 256 * 1024 * 1024


class MpiCommunicatorBase(CommunicatorBase):
    """A communicator over an mpi4py communicator (``mpi_comm``,
    ``MPI.COMM_WORLD`` by default). Creating one is collective.

    Attributes:
        mpi_comm: the wrapped mpi4py communicator.
    """

    def __init__(self, mpi_comm=None):
        MPI = _mpi.import_mpi()
        if mpi_comm is None:
            mpi_comm = MPI.COMM_WORLD
        elif not _mpi.is_mpi_comm(mpi_comm):
            raise TypeError('{}: mpi_comm must be an mpi4py communicator '
                            '(e.g. MPI.COMM_WORLD), got {}'.format(
                                type(self).__name__,
                                type(mpi_comm).__name__))
        self.mpi_comm = mpi_comm
        self._MPI = MPI
        self._topology = _topology.compute_topology(mpi_comm, MPI)
        self._worker = None
        self._async_comm = None
        self._buffers = _packing.BufferCache()
        self._async_slot = 0

    def __repr__(self):
        return '<{} rank {} of {}>'.format(type(self).__name__, self.rank,
                                           self.size)

    # --------------------------------------------------------- topology
    @property
    def rank(self):
        return self.mpi_comm.rank

    @property
    def size(self):
        return self.mpi_comm.size

    @property
    def intra_rank(self):
        return self._topology.intra_rank

    @property
    def intra_size(self):
        return self._topology.intra_size

    @property
    def inter_rank(self):
        return self._topology.inter_rank

    @property
    def inter_size(self):
        return self._topology.inter_size

    def _split_kwargs(self):
        """Constructor arguments a sub-communicator inherits."""
        return {}

    def split(self, color, key):
        """Collective: a communicator of the same kind over the ranks that
        passed the same ``color``, ranked by ``key``."""
        for name, value in (('color', color), ('key', key)):
            if not isinstance(value, (int, numpy.integer)) or \
                    isinstance(value, bool):
                raise TypeError('split: {} must be an int, got {!r}'.format(
                    name, value))
        return type(self)(mpi_comm=self.mpi_comm.Split(int(color), int(key)),
                          **self._split_kwargs())

    # ------------------------------------------------------ validation
    def _check_rank(self, function, argument, value):
        if not isinstance(value, (int, numpy.integer)) or \
                isinstance(value, bool) or not 0 <= value < self.size:
            raise ValueError('{}: {} must be a rank in [0, {}), got '
                             '{!r}'.format(function, argument, self.size,
                                           value))
        return int(value)

    def _local_spec(self, make):
        """``make()`` or, when it raises TypeError/ValueError, a Failure
        to hand to the other ranks."""
        try:
            return make()
        except (TypeError, ValueError) as error:
            return _messages.Failure(error, self.rank)

    # ------------------------------------------------------ raw bytes
    def _bcast_bytes(self, raw, root):
        for start, stop in _mpi.chunk_bounds(raw.size, _mpi.MAX_COUNT):
            self.mpi_comm.Bcast([raw[start:stop], self._MPI.BYTE], root=root)

    def _send_bytes(self, raw, dest, tag):
        for start, stop in _mpi.chunk_bounds(raw.size, _mpi.MAX_COUNT):
            self.mpi_comm.Send([raw[start:stop], self._MPI.BYTE], dest=dest,
                               tag=tag)

    def _recv_bytes(self, raw, source, tag):
        for start, stop in _mpi.chunk_bounds(raw.size, _mpi.MAX_COUNT):
            self.mpi_comm.Recv([raw[start:stop], self._MPI.BYTE],
                               source=source, tag=tag)

    def _allreduce_sum_inplace(self, array, comm=None):
        """Sums the 1-D host array ``array`` over the ranks, in place."""
        comm = comm or self.mpi_comm
        for start, stop in _mpi.chunk_bounds(array.size, _mpi.MAX_COUNT):
            comm.Allreduce(self._MPI.IN_PLACE, array[start:stop],
                           op=self._MPI.SUM)

    @staticmethod
    def _check_v_total(function, counts):
        # The v-collectives (Gatherv ...) take byte displacements as C ints.
        if sum(counts) >= 2 ** 31:
            raise ValueError(
                '{}: the arrays hold {} bytes in all, more than one MPI '
                'message can carry (2**31 - 1); send them in pieces'.format(
                    function, sum(counts)))

    # ------------------------------------------------------------ arrays
    def send(self, data, dest, tag):
        """Sends an array, or a tuple/list of arrays, to rank ``dest``
        (which calls ``recv``). Arrays of any dtype and shape, NumPy or
        CuPy; a tuple's arrays may differ in dtype and shape."""
        dest = self._check_rank('send', 'dest', dest)
        try:
            is_tuple = isinstance(data, (tuple, list))
            arrays = list(data) if is_tuple else [data]
            specs = [_messages.describe(a, 'send', 'data')
                     for a in arrays]
        except (TypeError, ValueError) as error:
            # The receiver raises the same error instead of waiting.
            self.mpi_comm.send(_messages.Failure(error, self.rank),
                               dest=dest, tag=tag)
            raise
        self.mpi_comm.send((is_tuple, specs), dest=dest, tag=tag)
        for array in arrays:
            self._send_bytes(_messages.host_bytes(array), dest, tag)

    def recv(self, source, tag):
        """Receives what rank ``source`` sent with ``send``: an array, or a
        tuple of arrays if a tuple/list was sent."""
        status = self._MPI.Status()
        header = self.mpi_comm.recv(source=source, tag=tag, status=status)
        if isinstance(header, _messages.Failure):
            header.raise_error()
        source, tag = status.Get_source(), status.Get_tag()
        is_tuple, specs = header
        arrays = []
        for spec in specs:
            raw = numpy.empty(_messages.nbytes(spec), numpy.uint8)
            self._recv_bytes(raw, source, tag)
            arrays.append(_messages.from_bytes(raw, spec))
        return tuple(arrays) if is_tuple else arrays[0]

    def bcast(self, x, root=0):
        """Returns rank ``root``'s array ``x`` on every rank (``x`` is
        ignored on the other ranks; root gets ``x`` itself)."""
        root = self._check_rank('bcast', 'root', root)
        spec = None
        if self.rank == root:
            spec = self._local_spec(lambda: _messages.describe(
                x, 'bcast', 'x'))
        spec = self.mpi_comm.bcast(spec, root=root)
        _messages.raise_failures([spec])
        if self.rank == root:
            self._bcast_bytes(_messages.host_bytes(x), root)
            return x
        raw = numpy.empty(_messages.nbytes(spec), numpy.uint8)
        self._bcast_bytes(raw, root)
        return _messages.from_bytes(raw, spec)

    def gather(self, x, root=0):
        """Rank ``root`` gets the tuple of every rank's array, in rank order
        (shapes and dtypes may differ); the other ranks get None."""
        root = self._check_rank('gather', 'root', root)
        specs = self.mpi_comm.allgather(self._local_spec(
            lambda: _messages.describe(x, 'gather', 'x')))
        _messages.raise_failures(specs)
        counts = [_messages.nbytes(s) for s in specs]
        self._check_v_total('gather', counts)
        send = [_messages.host_bytes(x), self._MPI.BYTE]
        if self.rank != root:
            self.mpi_comm.Gatherv(send, None, root=root)
            return None
        raw = numpy.empty(sum(counts), numpy.uint8)
        self.mpi_comm.Gatherv(send, [raw, (counts, _messages.displacements(
            counts)), self._MPI.BYTE], root=root)
        return _messages.split_bytes(raw, specs)

    def allgather(self, x):
        """Every rank gets the tuple of every rank's array, in rank
        order."""
        specs = self.mpi_comm.allgather(self._local_spec(
            lambda: _messages.describe(x, 'allgather', 'x')))
        _messages.raise_failures(specs)
        counts = [_messages.nbytes(s) for s in specs]
        self._check_v_total('allgather', counts)
        raw = numpy.empty(sum(counts), numpy.uint8)
        self.mpi_comm.Allgatherv(
            [_messages.host_bytes(x), self._MPI.BYTE],
            [raw, (counts, _messages.displacements(counts)),
             self._MPI.BYTE])
        return _messages.split_bytes(raw, specs)

    def allreduce(self, x):
        """The elementwise SUM (not the mean) of every rank's array, on
        every rank. Shapes and dtypes must agree; float16 is summed in
        float32 and returned as float16."""
        def make():
            spec = _messages.describe(x, 'allreduce', 'x')
            _mpi.reduce_dtype(spec.dtype)
            return spec
        specs = self.mpi_comm.allgather(self._local_spec(make))
        _messages.raise_failures(specs)
        mine, first = specs[self.rank], specs[0]
        for rank, spec in enumerate(specs):
            if spec.shape != first.shape or spec.dtype != first.dtype:
                raise ValueError(
                    'allreduce: every rank must pass an array of the same '
                    'shape and dtype; rank 0 has {} {}, rank {} has {} '
                    '{}'.format(first.shape, numpy.dtype(first.dtype), rank,
                                spec.shape, numpy.dtype(spec.dtype)))
        dtype = numpy.dtype(mine.dtype)
        host = _messages.to_host(x).astype(_mpi.reduce_dtype(dtype))
        flat = host.reshape(-1)
        self._allreduce_sum_inplace(flat)
        result = flat.reshape(mine.shape).astype(dtype, copy=False)
        if mine.on_gpu:
            return backend.get_array_module(x).asarray(result)
        return result

    def scatter(self, xs, root=0):
        """Rank ``root`` sends ``xs[i]`` to rank ``i``; returns this rank's
        array. On root, ``xs`` is a tuple/list of ``size`` arrays or one
        array whose first axis has length ``size``; elsewhere it is
        ignored."""
        root = self._check_rank('scatter', 'root', root)
        pieces = None
        specs = None
        if self.rank == root:
            def make():
                nonlocal pieces
                if isinstance(xs, (tuple, list)):
                    if len(xs) != self.size:
                        raise ValueError(
                            'scatter: xs must hold one array per rank ({}), '
                            'got {}'.format(self.size, len(xs)))
                    pieces = list(xs)
                else:
                    _messages.describe(xs, 'scatter', 'xs')
                    if xs.ndim == 0 or xs.shape[0] != self.size:
                        raise ValueError(
                            'scatter: the first axis of xs must have length '
                            '{} (the number of ranks), got shape {}'.format(
                                self.size, tuple(xs.shape)))
                    pieces = [xs[i] for i in range(self.size)]
                return [_messages.describe(p, 'scatter', 'xs[{}]'.format(i))
                        for i, p in enumerate(pieces)]
            specs = self._local_spec(make)
        specs = self.mpi_comm.bcast(specs, root=root)
        _messages.raise_failures([specs])
        counts = [_messages.nbytes(s) for s in specs]
        self._check_v_total('scatter', counts)
        raw = numpy.empty(counts[self.rank], numpy.uint8)
        if self.rank == root:
            send, _ = _messages.concat_bytes(pieces)
            send = [send, (counts, _messages.displacements(counts)),
                    self._MPI.BYTE]
        else:
            send = None
        self.mpi_comm.Scatterv(send, [raw, self._MPI.BYTE], root=root)
        return _messages.from_bytes(raw, specs[self.rank])

    def alltoall(self, xs):
        """Sends ``xs[i]`` to rank ``i`` (``xs`` holds one array per rank)
        and returns the tuple of the arrays received from every rank."""
        def make():
            if not isinstance(xs, (tuple, list)) or len(xs) != self.size:
                raise ValueError(
                    'alltoall: xs must be a tuple or list of {} arrays (one '
                    'per rank), got {}'.format(
                        self.size, type(xs).__name__ if not isinstance(
                            xs, (tuple, list)) else len(xs)))
            return [_messages.describe(x, 'alltoall', 'xs[{}]'.format(i))
                    for i, x in enumerate(xs)]
        outgoing = self._local_spec(make)
        if isinstance(outgoing, _messages.Failure):
            outgoing = [outgoing] * self.size
        incoming = self.mpi_comm.alltoall(outgoing)
        _messages.raise_failures(list(outgoing) + list(incoming))
        send_counts = [_messages.nbytes(s) for s in outgoing]
        recv_counts = [_messages.nbytes(s) for s in incoming]
        self._check_v_total('alltoall', send_counts)
        self._check_v_total('alltoall', recv_counts)
        send, _ = _messages.concat_bytes(xs)
        raw = numpy.empty(sum(recv_counts), numpy.uint8)
        self.mpi_comm.Alltoallv(
            [send, (send_counts, _messages.displacements(send_counts)),
             self._MPI.BYTE],
            [raw, (recv_counts, _messages.displacements(recv_counts)),
             self._MPI.BYTE])
        return _messages.split_bytes(raw, incoming)

    # ----------------------------------------------------------- objects
    def send_obj(self, obj, dest, tag=0):
        """Sends a picklable object to rank ``dest``."""
        dest = self._check_rank('send_obj', 'dest', dest)
        self.mpi_comm.send(obj, dest=dest, tag=tag)

    def recv_obj(self, source, status=None, tag=None):
        """Receives an object from rank ``source`` (any tag when ``tag`` is
        None); ``status`` (an ``MPI.Status``) is filled in if given."""
        if tag is None:
            tag = self._MPI.ANY_TAG
        return self.mpi_comm.recv(source=source, tag=tag, status=status)

    def bcast_obj(self, obj, max_buf_len=_DEFAULT_MAX_BUF_LEN, root=0):
        """Returns rank ``root``'s object on every rank (root gets ``obj``
        itself). The pickle travels in pieces of at most ``max_buf_len``
        bytes, so objects over 2 GiB work."""
        root = self._check_rank('bcast_obj', 'root', root)
        if max_buf_len is None:
            max_buf_len = _DEFAULT_MAX_BUF_LEN
        if not isinstance(max_buf_len, (int, numpy.integer)) or \
                not 0 < max_buf_len < 2 ** 31:
            raise ValueError('bcast_obj: max_buf_len must be an int in '
                             '[1, 2**31 - 1], got {!r}'.format(max_buf_len))
        header = data = None
        if self.rank == root:
            try:
                data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
                header = len(data)
            except Exception as error:
                header = _messages.Failure(TypeError(
                    'bcast_obj: cannot pickle the object: {}: {}'.format(
                        type(error).__name__, error)), self.rank)
        header = self.mpi_comm.bcast(header, root=root)
        _messages.raise_failures([header])
        if self.rank == root:
            raw = numpy.frombuffer(data, numpy.uint8)
        else:
            raw = numpy.empty(header, numpy.uint8)
        for start, stop in _mpi.chunk_bounds(header, int(max_buf_len)):
            self.mpi_comm.Bcast([raw[start:stop], self._MPI.BYTE], root=root)
        if self.rank == root:
            return obj
        return pickle.loads(memoryview(raw))

    def _send_pickle(self, obj, dest, tag, max_buf_len):
        """Sends ``obj`` to ``dest`` as a pickle in pieces of at most
        ``max_buf_len`` bytes (no 2 GiB limit); ``_recv_pickle`` receives
        it. An object that cannot be pickled makes both sides raise."""
        try:
            data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            failure = TypeError('cannot pickle the object for rank {}: '
                                '{}: {}'.format(dest, type(error).__name__,
                                                error))
            self.mpi_comm.send(_messages.Failure(failure, self.rank),
                               dest=dest, tag=tag)
            raise failure from error
        self.mpi_comm.send((len(data), max_buf_len), dest=dest, tag=tag)
        raw = numpy.frombuffer(data, numpy.uint8)
        for start, stop in _mpi.chunk_bounds(raw.size, max_buf_len):
            self.mpi_comm.Send([raw[start:stop], self._MPI.BYTE], dest=dest,
                               tag=tag)

    def _recv_pickle(self, source, tag):
        header = self.mpi_comm.recv(source=source, tag=tag)
        _messages.raise_failures([header])
        length, max_buf_len = header
        raw = numpy.empty(length, numpy.uint8)
        for start, stop in _mpi.chunk_bounds(length, max_buf_len):
            self.mpi_comm.Recv([raw[start:stop], self._MPI.BYTE],
                               source=source, tag=tag)
        return pickle.loads(memoryview(raw))

    def gather_obj(self, obj, root=0):
        """Rank ``root`` gets the list of every rank's object, in rank
        order; the others get None."""
        root = self._check_rank('gather_obj', 'root', root)
        return self.mpi_comm.gather(obj, root=root)

    def allgather_obj(self, obj):
        """Every rank gets the list of every rank's object (a dynet
        addition)."""
        return self.mpi_comm.allgather(obj)

    def allreduce_obj(self, obj):
        """The sum (``+``) of every rank's object, on every rank."""
        return self.mpi_comm.allreduce(obj)

    # ------------------------------------------------------------ models
    def bcast_data(self, model):
        """Collective: every initialized parameter of ``model`` takes rank
        0's values (in place). The models must have the same initialized
        parameters (names, shapes, dtypes) on every rank."""
        params = self._params_to_broadcast(model)
        if not params:
            return
        arrays = [p.array for _, p in params]
        if self.rank == 0:
            raw, _ = _messages.concat_bytes(arrays)
        else:
            raw = numpy.empty(sum(a.nbytes for a in arrays), numpy.uint8)
        self._bcast_bytes(raw, 0)
        if self.rank == 0:
            return
        offset = 0
        for array in arrays:
            piece = raw[offset:offset + array.nbytes]
            backend.copyto(array, piece.view(array.dtype).reshape(
                array.shape))
            offset += array.nbytes

    def _params_to_broadcast(self, model):
        """Collective: ``bcast_data``'s (name, parameter) list of
        ``model``, after checking that every rank has the same one."""
        params = _packing.initialized_params(model)
        layout = [(name, tuple(p.array.shape), p.array.dtype.str)
                  for name, p in params]
        self._check_same_layout('bcast_data',
                                self.mpi_comm.allgather(layout))
        return params

    def _check_same_layout(self, function, layouts):
        """Raises (on every rank alike) if ranks disagree on a layout."""
        for rank, layout in enumerate(layouts):
            if layout != layouts[0]:
                difference = _first_difference(layouts[0], layout)
                raise ValueError(
                    '{}: the model differs between rank 0 and rank {}: {}. '
                    'Every rank must build the same model (and initialize '
                    'the same parameters) before communicating.'.format(
                        function, rank, difference))

    def _check_grad_layout(self, function, params, dtype):
        """Collective check that every rank packs the same gradients."""
        signature = _packing.layout_signature(params, dtype)
        everyone = numpy.empty((self.size, signature.size), numpy.int64)
        self.mpi_comm.Allgather(signature, everyone)
        if config.debug:
            layouts = self.mpi_comm.allgather(_packing.describe_layout(
                params))
            self._check_same_layout(function, layouts)
        for rank in range(self.size):
            if not numpy.array_equal(everyone[rank], everyone[0]):
                raise ValueError(
                    '{}: rank 0 has {} gradients ({} elements) to average '
                    'but rank {} has {} ({} elements), or their dtypes '
                    'differ. Every rank must compute gradients for the '
                    'same parameters; pass zero_fill=True to count missing '
                    'gradients as zero (run with dynet.set_debug(True) to '
                    'see the names).'.format(
                        function, everyone[0][0], everyone[0][1], rank,
                        everyone[rank][0], everyone[rank][1]))

    # ---------------------------------------------- gradient averaging
    def multi_node_mean_grad(self, model, zero_fill=False):
        raise NotImplementedError

    def _start_mean_grad(self, model, zero_fill):
        """Starts averaging the gradients of ``model`` in the background
        (double buffering); returns an object whose ``finish()`` waits and
        writes the means into the gradients.

        The gradients are copied when this is called, so the model may
        compute new ones meanwhile."""
        params = _packing.grad_params(model, zero_fill)
        dtype = _packing.transfer_dtype(params)
        self._check_grad_layout('multi_node_mean_grad', params, dtype)
        xp = _packing.array_module(params, 'multi_node_mean_grad')
        # Two buffers in turn: the previous step's may still be in flight.
        self._async_slot = 1 - self._async_slot
        host = self._buffers.get(('async', self._async_slot),
                                 _packing.element_count(params), dtype,
                                 numpy)
        if xp is numpy:
            _packing.pack_grads(params, dtype, xp, host)
        else:
            _packing.pack_grads(params, dtype, xp).get(out=host)
        if self._async_comm is None:
            # A private communicator: the background sum never mixes with
            # collectives the main thread runs meanwhile.
            self._async_comm = self.mpi_comm.Dup()
        comm = self._async_comm
        if self._MPI.Query_thread() >= self._MPI.THREAD_MULTIPLE:
            if self._worker is None:
                self._worker = _background.BackgroundWorker()
            future = self._worker.submit(
                lambda: self._allreduce_sum_inplace(host, comm))
            wait = future.result
        else:
            requests = [comm.Iallreduce(self._MPI.IN_PLACE,
                                        host[start:stop], op=self._MPI.SUM)
                        for start, stop in _mpi.chunk_bounds(
                            host.size, _mpi.MAX_COUNT)]

            def wait():
                self._MPI.Request.Waitall(requests)
        return _PendingMean(params, host, xp, self.size, wait)

    def finalize(self):
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        if self._async_comm is not None:
            self._async_comm.Free()
            self._async_comm = None
        self._buffers.clear()


class _PendingMean:
    """A gradient average running in the background."""

    def __init__(self, params, host, xp, size, wait):
        self._params = params
        self._host = host
        self._xp = xp
        self._size = size
        self._wait = wait

    def finish(self):
        self._wait()
        buffer = self._host if self._xp is numpy else \
            self._xp.asarray(self._host)
        _packing.unpack_grads(self._params, buffer, scale=1.0 / self._size)


def _first_difference(reference, other):
    for index in range(max(len(reference), len(other))):
        a = reference[index] if index < len(reference) else None
        b = other[index] if index < len(other) else None
        if a != b:
            return 'entry {}: {} on rank 0 versus {}'.format(index, a, b)
    return 'none found'
