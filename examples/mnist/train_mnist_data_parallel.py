#!/usr/bin/env python
"""The MNIST MLP trained data-parallel over MPI (ChainerMN's train_mnist).

Every process (rank) holds the whole model and trains on its own share of
the data; the multi-node optimizer averages the gradients of all ranks at
each step, so every rank makes the same update. Run it with mpiexec:

    mpiexec -n 2 python examples/mnist/train_mnist_data_parallel.py
    mpiexec -n 4 python examples/mnist/train_mnist_data_parallel.py --gpu

(as root add --allow-run-as-root; with more processes than cores add
--oversubscribe). ``--batchsize`` is per process: the effective batch is
``batchsize * number of processes``.

Rank 0 reads the data (the MNIST sample bundled with dynet, or full MNIST
with ``--full``) and sends each rank its part; the test accuracy is the
mean over the ranks' parts of the test set. Only rank 0 prints and writes
the log (``--out``/log). ``--checkpoint N`` writes a per-rank snapshot
every N iterations; a rerun with the same ``--out`` resumes from the
newest snapshot that every rank has.
"""
import argparse
import sys

import numpy

import dynet as chainer
import dynet.datasets  # NOQA
import dynet.distributed as chainermn
import dynet.functions as F
import dynet.iterators  # NOQA
import dynet.links as L
import dynet.optimizers  # NOQA
from dynet import training
from dynet.training import extensions


class MLP(chainer.Chain):
    """Two hidden ReLU layers of ``n_units`` and a linear output layer."""

    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(784, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description='dynet example: MNIST MLP, data-parallel over MPI')
    parser.add_argument('--batchsize', '-b', type=int, default=100,
                        help='number of images in each mini-batch, per '
                        'process')
    parser.add_argument('--communicator', type=str, default=None,
                        help="communicator: 'flat' (the CPU default), "
                        "'pure_nccl' (the GPU default), 'naive' ...")
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='number of sweeps over the training set')
    parser.add_argument('--gpu', '-g', action='store_true',
                        help='use one GPU per process (GPU intra_rank)')
    parser.add_argument('--out', '-o', default='result',
                        help='output directory')
    parser.add_argument('--unit', '-u', type=int, default=1000,
                        help='number of units in each hidden layer')
    parser.add_argument('--full', action='store_true',
                        help='use the full MNIST (downloaded by rank 0) '
                        'instead of the bundled sample')
    parser.add_argument('--checkpoint', type=int, default=0,
                        help='write a per-rank snapshot every this many '
                        'iterations, and resume from them (0: never)')
    parser.add_argument('--max-iterations', type=int, default=None,
                        help='stop after this many iterations (overrides '
                        '--epoch; for quick checks)')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed of the initial weights and of '
                        'the split of the data')
    parser.add_argument('--no-progress', dest='progress',
                        action='store_false', help='no progress bar')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    name = args.communicator or ('pure_nccl' if args.gpu else 'flat')
    comm = chainermn.create_communicator(name)
    if args.gpu:
        device = chainer.get_device('@cupy:{}'.format(comm.intra_rank))
    else:
        device = chainer.get_device('@numpy')

    if comm.rank == 0:
        print('Number of processes: {}'.format(comm.size))
        print('Communicator: {}'.format(name))
        print('Device of rank 0: {}'.format(device))
        print('# unit: {}'.format(args.unit))
        print('# Minibatch-size: {} per process, {} in all'.format(
            args.batchsize, args.batchsize * comm.size))
        print('# epoch: {}'.format(args.epoch))
        print('')

    # Every rank starts from its own random weights; the first update
    # replaces them by rank 0's.
    numpy.random.seed(args.seed + comm.rank)
    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)
    device.use()

    optimizer = chainermn.create_multi_node_optimizer(
        chainer.optimizers.Adam(), comm)
    optimizer.setup(model)

    # Rank 0 reads the data and hands each rank its part.
    if comm.rank == 0:
        train, test = chainer.datasets.get_mnist(sample=not args.full)
    else:
        train, test = None, None
    train = chainermn.scatter_dataset(train, comm, shuffle=True,
                                      seed=args.seed)
    test = chainermn.scatter_dataset(test, comm, shuffle=True,
                                     seed=args.seed)
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(
        test, args.batchsize, repeat=False, shuffle=False)

    updater = training.updaters.StandardUpdater(
        train_iter, optimizer, device=device)
    stop = (args.epoch, 'epoch') if args.max_iterations is None else \
        (args.max_iterations, 'iteration')
    trainer = training.Trainer(updater, stop, out=args.out)

    # Every rank evaluates its part of the test set; all get the means.
    evaluator = extensions.Evaluator(test_iter, model, device=device)
    trainer.extend(chainermn.create_multi_node_evaluator(evaluator, comm))
    # The training loss reported by rank 0 alone covers only its batch:
    # average it over the ranks too (every rank must run this).
    for key in ('main/loss', 'main/accuracy'):
        trainer.extend(chainermn.ObservationAggregator(comm, key),
                       name='aggregate ' + key)

    if args.checkpoint > 0:
        checkpointer = chainermn.create_multi_node_checkpointer(
            'mnist', comm)
        trainer.extend(checkpointer, trigger=(args.checkpoint, 'iteration'))

    # Reports from rank 0 only: one log, one screen.
    if comm.rank == 0:
        trainer.extend(extensions.LogReport())
        trainer.extend(extensions.PrintReport(
            ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
             'validation/main/accuracy', 'elapsed_time'], out=sys.stdout))
        if args.progress:
            trainer.extend(extensions.ProgressBar(out=sys.stdout))

    if args.checkpoint > 0:
        # After every extension is registered; a no-op on a first run.
        resumed = checkpointer.maybe_load(trainer, optimizer)
        if comm.rank == 0 and resumed is not None:
            print('resumed from iteration {}'.format(resumed))

    trainer.run()

    accuracy = trainer.observation.get('validation/main/accuracy')
    if accuracy is not None:
        accuracy = float(accuracy)
        if comm.rank == 0:
            print('final test accuracy: {:.4f}'.format(accuracy))
    comm.finalize()
    return accuracy


if __name__ == '__main__':
    main()
