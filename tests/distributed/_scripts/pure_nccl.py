"""The 'pure_nccl' communicator (GPU ranks; each uses GPU ``intra_rank``).
Each rank pickles what it got to OUTDIR/rank<R>.pkl, or, with MODE
'unavailable', the errors raised where CuPy/NCCL are missing.

    mpiexec -n N python pure_nccl.py OUTDIR [MODE]
"""
import os
import pickle
import sys
import warnings

import numpy

import dynet
import dynet.distributed as dd

import _inputs


def to_gpu(model, device):
    grads = {name: p.grad for name, p in model.namedparams()}
    model.to_device(device)
    for name, param in model.namedparams():
        if grads[name] is not None:
            param.grad = device.send_array(grads[name])
    return model


def host_grads(model):
    return {name: None if p.grad is None else dynet.backend.CpuDevice()
            .send_array(p.grad) for name, p in model.namedparams()}


def unavailable(outdir):
    from mpi4py import MPI
    rank = MPI.COMM_WORLD.rank
    results = {}
    try:
        dd.create_communicator('pure_nccl')
    except RuntimeError as error:
        results['error'] = str(error)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            dd.create_communicator('hierarchical')
        except RuntimeError as error:
            results['old_name_error'] = str(error)
    results['old_name_warned'] = any(
        issubclass(w.category, DeprecationWarning) for w in caught)
    with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)), 'wb') as f:
        pickle.dump(results, f)


def main(outdir):
    comm = dd.create_communicator('pure_nccl')
    device = dynet.get_device('@cupy:{}'.format(comm.intra_rank))
    device.use()
    rank = comm.rank
    results = {}

    numpy.random.seed(rank)
    model = to_gpu(dynet.links.Linear(3, 2), device)
    comm.bcast_data(model)
    results['bcast_data'] = {n: p.array.get()
                             for n, p in model.namedparams()}

    model = to_gpu(_inputs.model_with_grads(rank), device)
    comm.multi_node_mean_grad(model, zero_fill=True)
    results['mean'] = host_grads(model)

    half = dd.create_communicator('pure_nccl',
                                  allreduce_grad_dtype=numpy.float16)
    model = to_gpu(_inputs.model_with_grads(rank), device)
    half.multi_node_mean_grad(model, zero_fill=True)
    results['mean_f16_transfer'] = host_grads(model)

    model = to_gpu(_inputs.model_with_grads(rank), device)
    pending = comm._start_mean_grad(model, zero_fill=True)
    pending.finish()
    results['mean_async'] = host_grads(model)

    x = device.send_array(_inputs.array(rank))
    results['allreduce'] = comm.allreduce(x).get()
    results['bcast'] = comm.bcast(x, root=comm.size - 1).get()

    try:
        comm.multi_node_mean_grad(_inputs.model_with_grads(rank))
    except TypeError as error:
        results['cpu_error'] = str(error)

    half.finalize()
    comm.finalize()
    with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)), 'wb') as f:
        pickle.dump(results, f)


if __name__ == '__main__':
    if len(sys.argv) > 2 and sys.argv[2] == 'unavailable':
        unavailable(sys.argv[1])
    else:
        main(sys.argv[1])
