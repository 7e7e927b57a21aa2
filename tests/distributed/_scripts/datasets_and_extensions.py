"""scatter_dataset, scatter_index, the multi-node evaluator and the
observation aggregator; each rank pickles what it got to
OUTDIR/rank<R>.pkl.

    mpiexec -n N python datasets_and_extensions.py OUTDIR
"""
import os
import pickle
import sys

import numpy

import dynet
import dynet.distributed as dd
from dynet.training import extensions

N_EXAMPLES = 10


def examples_of(dataset):
    return [dataset[i] for i in range(len(dataset))]


class MeanReporter(dynet.Chain):
    """Reports the mean of its inputs as 'value'."""

    def forward(self, x):
        dynet.report({'value': x.mean(), 'count': float(len(x))})
        return x


def main(outdir):
    comm = dd.create_communicator('flat')
    rank = comm.rank
    results = {}

    # Only the root's dataset counts; the others pass None or garbage.
    pairs = dynet.datasets.TupleDataset(
        numpy.arange(N_EXAMPLES * 2, dtype=numpy.float32).reshape(-1, 2),
        numpy.arange(N_EXAMPLES, dtype=numpy.int32))
    words = ['w{}'.format(i) for i in range(N_EXAMPLES)]
    results['pairs'] = examples_of(dd.scatter_dataset(
        pairs if rank == 0 else None, comm))
    results['pairs_type'] = type(dd.scatter_dataset(
        pairs if rank == 0 else None, comm)).__name__
    results['words_root1'] = examples_of(dd.scatter_dataset(
        words if rank == 1 else 'ignored', comm, root=1))
    results['shuffled'] = examples_of(dd.scatter_dataset(
        words if rank == 0 else None, comm, shuffle=True, seed=3,
        max_buf_len=16))
    results['disjoint'] = examples_of(dd.scatter_dataset(
        numpy.arange(N_EXAMPLES) if rank == 0 else None, comm,
        force_equal_length=False))
    results['index'] = dd.scatter_index(N_EXAMPLES, comm)
    results['index_disjoint'] = dd.scatter_index(N_EXAMPLES, comm,
                                                 force_equal_length=False)
    try:
        dd.scatter_dataset(42 if rank == 0 else None, comm)
    except TypeError as error:
        results['error'] = str(error)

    # The evaluator: every rank evaluates its part; all get the mean.
    values = numpy.arange(N_EXAMPLES, dtype=numpy.float32)
    part = dd.scatter_dataset(values if rank == 0 else None, comm)
    iterator = dynet.iterators.SerialIterator(part, 2, repeat=False,
                                              shuffle=False)
    evaluator = dd.create_multi_node_evaluator(
        extensions.Evaluator(iterator, MeanReporter()), comm)
    results['evaluator_class'] = type(evaluator).__name__
    results['evaluation'] = evaluator()
    with dynet.reporter.Reporter():
        results['local_evaluation'] = evaluator._mn_original_evaluate()

    empty = dynet.iterators.SerialIterator(
        part if rank else [], 2, repeat=False, shuffle=False)
    try:
        dd.create_multi_node_evaluator(
            extensions.Evaluator(empty, MeanReporter()), comm)()
    except ValueError as error:
        results['evaluator_error'] = str(error)

    # The observation aggregator, with a stand-in for the trainer.
    class Trainer:
        observation = {}

    aggregator = dd.ObservationAggregator(
        comm, 'main/loss', 'main/mean_loss',
        comm_trigger=lambda trainer: len(aggregator.observation_history) == 2)
    trainer = Trainer()
    for step in range(2):
        trainer.observation = {'main/loss': numpy.float32(rank * 10 + step)}
        aggregator(trainer)
        results['aggregated_{}'.format(step)] = dict(trainer.observation)

    comm.finalize()
    with open(os.path.join(outdir, 'rank{}.pkl'.format(rank)), 'wb') as f:
        pickle.dump(results, f)


if __name__ == '__main__':
    main(sys.argv[1])
