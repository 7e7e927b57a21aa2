"""Data-parallel training of the MLP of _mlp.py, with and without double
buffering; each rank pickles its final parameters (and the initial ones of
rank 0) to OUTDIR/rank<R>.pkl.

    mpiexec -n N python data_parallel.py OUTDIR ITERATIONS BATCH_PER_RANK
"""
import os
import pickle
import sys

import dynet.distributed as dd

import _mlp


def train(comm, double_buffering, iterations, batch):
    # Each rank starts from different weights: the first update must
    # replace them by rank 0's.
    model = _mlp.make_model(seed=100 + comm.rank)
    optimizer = dd.create_multi_node_optimizer(
        _mlp.make_optimizer(), comm, double_buffering=double_buffering)
    optimizer.setup(model)
    x, t = _mlp.data(iterations * batch * comm.size)
    for iteration in range(iterations):
        optimizer.update(model, *_mlp.rank_batch(x, t, iteration, batch,
                                                 comm.size, comm.rank))
    return _mlp.params(model), optimizer.t


def main(outdir, iterations, batch):
    comm = dd.create_communicator('flat')
    results = {}
    results['plain'], results['plain_t'] = train(comm, False, iterations,
                                                 batch)
    results['double'], results['double_t'] = train(comm, True, iterations,
                                                   batch)
    comm.finalize()
    with open(os.path.join(outdir, 'rank{}.pkl'.format(comm.rank)),
              'wb') as f:
        pickle.dump(results, f)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
