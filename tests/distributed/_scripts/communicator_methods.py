"""Runs every communicator method once; each rank pickles what it received
to OUTDIR/rank<R>.pkl. The checks are in test_communicator.py.

    mpiexec -n N python communicator_methods.py OUTDIR
"""
import os
import pickle
import sys
import warnings

import numpy

import dynet
import dynet.distributed as dd
import dynet.links as L

import _inputs


def record_error(results, key, function):
    try:
        function()
    except (TypeError, ValueError) as error:
        results[key] = (type(error).__name__, str(error))
    else:
        results[key] = None


def main(outdir):
    comm = dd.create_communicator('flat')
    naive = dd.create_communicator('naive')
    rank, size = comm.rank, comm.size
    results = {'topology': (comm.rank, comm.size, comm.intra_rank,
                            comm.intra_size, comm.inter_rank,
                            comm.inter_size),
               'naive_rank': (naive.rank, naive.size)}

    # ------------------------------------------------------------ arrays
    x = _inputs.array(rank)
    results['allreduce'] = comm.allreduce(x)
    results['allreduce_f16'] = comm.allreduce(x.astype(numpy.float16))
    results['allreduce_int'] = naive.allreduce(numpy.arange(4) * rank)
    results['bcast'] = comm.bcast(x if rank == size - 1 else None,
                                  root=size - 1)
    results['gather'] = comm.gather(_inputs.ragged(rank), root=1)
    results['allgather'] = comm.allgather(_inputs.ragged(rank))

    # A ring: one array, then a tuple of arrays of different dtypes.
    right, left = (rank + 1) % size, (rank - 1) % size
    if rank % 2 == 0:
        comm.send(x, right, 3)
        comm.send(_inputs.message(rank), right, 4)
        single, pair = comm.recv(left, 3), comm.recv(left, 4)
    else:
        single, pair = comm.recv(left, 3), comm.recv(left, 4)
        comm.send(x, right, 3)
        comm.send(_inputs.message(rank), right, 4)
    results['recv_single'], results['recv_tuple'] = single, pair

    results['scatter_tuple'] = comm.scatter(
        [_inputs.ragged(i) for i in range(size)] if rank == 0 else None,
        root=0)
    results['scatter_array'] = comm.scatter(
        numpy.arange(size * 3, dtype=numpy.int16).reshape(size, 3)
        if rank == size - 1 else None, root=size - 1)
    results['alltoall'] = comm.alltoall(
        [_inputs.alltoall_piece(rank, i) for i in range(size)])

    # ----------------------------------------------------------- objects
    big = {'rank': rank, 'payload': list(range(50))}
    results['bcast_obj'] = comm.bcast_obj(big, max_buf_len=7, root=size - 1)
    results['gather_obj'] = comm.gather_obj(('r', rank), root=0)
    results['allgather_obj'] = comm.allgather_obj(rank * 2)
    results['allreduce_obj'] = comm.allreduce_obj(rank + 1)
    results['allreduce_obj_array'] = comm.allreduce_obj(
        numpy.full(2, rank, numpy.float64))
    if rank == 0:
        for dest in range(1, size):
            comm.send_obj({'to': dest}, dest, tag=9)
        results['recv_obj'] = None
    else:
        results['recv_obj'] = comm.recv_obj(0, tag=9)

    # -------------------------------------------------------------- split
    sub = comm.split(rank % 2, -rank)
    results['split'] = (type(sub).__name__, sub.rank, sub.size,
                        sub.allreduce_obj(rank))
    sub.finalize()

    # ------------------------------------------------------------- models
    for name, communicator in (('flat', comm), ('naive', naive)):
        model = _inputs.model_with_grads(rank)
        communicator.multi_node_mean_grad(model, zero_fill=True)
        results['mean_' + name] = _inputs.grads(model)
    model = _inputs.model_with_grads(rank, dtype=numpy.float16)
    comm.multi_node_mean_grad(model, zero_fill=True)
    results['mean_f16'] = _inputs.grads(model)

    model = _inputs.model_with_grads(rank)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        comm.allreduce_grad(model, zero_fill=True)
    results['allreduce_grad'] = _inputs.grads(model)
    results['allreduce_grad_warned'] = any(
        issubclass(w.category, DeprecationWarning) for w in caught)

    model = _inputs.model_with_grads(rank)
    pending = comm._start_mean_grad(model, zero_fill=True)
    for param in model.params():   # the average must use the copies
        if param.grad is not None:
            param.grad[...] = 1000
    pending.finish()
    results['mean_async'] = _inputs.grads(model)

    numpy.random.seed(rank)
    model = L.Linear(3, 2)
    results['before_bcast_data'] = {n: p.array.copy()
                                    for n, p in model.namedparams()}
    comm.bcast_data(model)
    results['after_bcast_data'] = {n: p.array.copy()
                                   for n, p in model.namedparams()}

    # -------------------------------------------------- errors, everywhere
    record_error(results, 'error_allreduce_shape',
                 lambda: comm.allreduce(numpy.zeros(rank + 1)))
    record_error(results, 'error_bcast_tuple',
                 lambda: comm.bcast((x, x) if rank == 0 else None))
    record_error(results, 'error_alltoall_length',
                 lambda: comm.alltoall([x] * (size if rank else size + 1)))
    record_error(results, 'error_gather_type',
                 lambda: comm.gather([1, 2] if rank == size - 1 else x))
    record_error(results, 'error_scatter_shape',
                 lambda: comm.scatter(numpy.zeros((size + 1, 2))
                                      if rank == 0 else None))
    if rank == 0:
        record_error(results, 'error_send',
                     lambda: comm.send(numpy.array([None]), 1, 11))
    elif rank == 1:
        record_error(results, 'error_send', lambda: comm.recv(0, 11))

    def missing_gradient():
        model = _inputs.model_with_grads(rank)
        if rank == 1:
            model.l2.W.grad = None
        comm.multi_node_mean_grad(model, zero_fill=False)
    record_error(results, 'error_mean_layout', missing_gradient)

    def different_models():
        model = L.Linear(3, 2 + (rank == size - 1))
        comm.bcast_data(model)
    record_error(results, 'error_bcast_data', different_models)

    with dynet.using_config('debug', True):
        model = _inputs.model_with_grads(rank)
        comm.multi_node_mean_grad(model, zero_fill=True)
        results['mean_debug'] = _inputs.grads(model)

    naive.finalize()
    comm.finalize()
    with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)), 'wb') as f:
        pickle.dump(results, f)


if __name__ == '__main__':
    main(sys.argv[1])
