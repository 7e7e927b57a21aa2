"""Trainer with a multi-node checkpointer (every 2 iterations, 20
iterations in all; an epoch is 8 iterations).

    mpiexec -n 2 python checkpoint.py OUTDIR MODE

MODE 'crash': rank 0 raises at iteration 13 (the job aborts); 'resume':
maybe_load, then train to the end; 'straight': train without
interruption. 'resume' and 'straight' pickle the final parameters and the
loaded iteration to OUTDIR/result<R>.pkl.
"""
import os
import pickle
import sys

import numpy

import dynet
import dynet.distributed as dd
from dynet import training

import _mlp

BATCH = 4
STOP = 20
CRASH = 13


def main(outdir, mode):
    comm = dd.create_communicator('naive')
    model = _mlp.make_model(seed=100 + comm.rank)
    optimizer = dd.create_multi_node_optimizer(_mlp.make_optimizer(), comm)
    optimizer.setup(model)
    x, t = _mlp.data(8 * BATCH * comm.size)
    part = slice(comm.rank * 8 * BATCH, (comm.rank + 1) * 8 * BATCH)
    train = dynet.datasets.TupleDataset(x[part], t[part])
    # Shuffling draws from the global NumPy generator at every epoch's end
    # (iterations 8 and 16), which the snapshot of each rank must restore
    # for an exact resume.
    iterator = dynet.iterators.SerialIterator(train, BATCH, shuffle=True)
    updater = training.updaters.StandardUpdater(iterator, optimizer)
    trainer = training.Trainer(updater, (STOP, 'iteration'), out=outdir)
    checkpointer = dd.create_multi_node_checkpointer(
        'ckpt', comm, cp_interval=2, gc_interval=2)
    trainer.extend(checkpointer, trigger=(2, 'iteration'))
    if mode == 'crash':
        def crash(trainer):
            if comm.rank == 0 and trainer.updater.iteration == CRASH:
                raise RuntimeError('simulated failure on rank 0')
        trainer.extend(crash, name='crash', trigger=(1, 'iteration'))
    loaded = checkpointer.maybe_load(trainer, optimizer) \
        if mode != 'straight' else None
    own = 'ckpt.{}.'.format(comm.rank)
    files_after_load = sorted(name for name in os.listdir(outdir)
                              if name.startswith(own))
    trainer.run()
    comm.mpi_comm.Barrier()   # every rank has finished (and cleaned up)
    result = {'loaded': loaded, 'files_after_load': files_after_load,
              'iteration': trainer.updater.iteration,
              'params': _mlp.params(model),
              'files': sorted(name for name in os.listdir(outdir)
                              if name.startswith('ckpt.'))}
    comm.finalize()
    path = os.path.join(outdir, 'result{}.pkl'.format(comm.rank))
    with open(path, 'wb') as f:
        pickle.dump(result, f)


if __name__ == '__main__':
    numpy.seterr(all='raise')
    main(sys.argv[1], sys.argv[2])
