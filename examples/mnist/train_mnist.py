#!/usr/bin/env python
"""The classic MNIST multi-layer perceptron, trained with the Trainer.

A 3-layer MLP (784 -> unit -> unit -> 10, ReLU) trained with Adam on
mini-batches of 100, written the way a Chainer v7 user writes it: the
script uses dynet only through ``import dynet as chainer``.

By default it trains on the real MNIST sample bundled with dynet (4,000
training and 1,000 test digits); ``--full`` downloads the full MNIST
(60,000 / 10,000) instead.

Written to ``--out`` (default ``result``):
  log                 loss/accuracy of every epoch, training and test
  snapshot_iter_N     the trainer, every ``--frequency`` epochs (the last
                      one is kept)
  cg.dot              the graph of the loss
  loss.png, accuracy.png  the curves (unless --noplot; needs matplotlib)

    python examples/mnist/train_mnist.py [--epoch 20] [--unit 1000]
    python examples/mnist/train_mnist.py --epoch 40 \\
        --resume result/snapshot_iter_800
"""
import argparse
import os
import sys

import numpy

import dynet as chainer
import dynet.datasets  # NOQA
import dynet.functions as F
import dynet.iterators  # NOQA
import dynet.links as L
import dynet.optimizers  # NOQA
import dynet.serializers  # NOQA
from dynet import training
from dynet.training import extensions


class MLP(chainer.Chain):
    """Two hidden ReLU layers of ``n_units`` and a linear output layer;
    the input size is inferred at the first call."""

    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def parse_device(spec):
    """'-1' / '0' (Chainer's integer ids) or '@numpy' / '@cupy:0'."""
    try:
        spec = int(spec)
    except ValueError:
        pass
    return chainer.get_device(spec)


def main(argv=None):
    parser = argparse.ArgumentParser(description='dynet example: MNIST MLP')
    parser.add_argument('--batchsize', '-b', type=int, default=100,
                        help='number of images in each mini-batch')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='number of sweeps over the training set')
    parser.add_argument('--frequency', '-f', type=int, default=-1,
                        help='take a snapshot every this many epochs '
                        '(-1: at the end only)')
    parser.add_argument('--device', '-d', type=str, default='-1',
                        help="device: '@numpy' or a negative integer for "
                        "the CPU, '@cupy:N' or N for GPU N")
    parser.add_argument('--out', '-o', default='result',
                        help='output directory')
    parser.add_argument('--resume', '-r', type=str,
                        help='trainer snapshot to resume from')
    parser.add_argument('--autoload', action='store_true',
                        help='resume from the newest snapshot in --out, '
                        'if there is one')
    parser.add_argument('--unit', '-u', type=int, default=1000,
                        help='number of units in each hidden layer')
    parser.add_argument('--noplot', dest='plot', action='store_false',
                        help='do not draw the loss and accuracy plots')
    parser.add_argument('--full', action='store_true',
                        help='download and use the full MNIST instead of '
                        'the bundled sample')
    parser.add_argument('--max-iterations', type=int, default=None,
                        help='stop after this many iterations (overrides '
                        '--epoch; for quick checks)')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed (initial weights, shuffling)')
    parser.add_argument('--no-progress', dest='progress',
                        action='store_false', help='no progress bar')
    args = parser.parse_args(argv)

    device = parse_device(args.device)
    print('Device: {}'.format(device))
    print('# unit: {}'.format(args.unit))
    print('# Minibatch-size: {}'.format(args.batchsize))
    print('# epoch: {}'.format(args.epoch))
    print('# data: {}'.format('full MNIST' if args.full
                              else 'bundled MNIST sample'))
    print('')

    numpy.random.seed(args.seed)

    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)
    device.use()

    optimizer = chainer.optimizers.Adam()
    optimizer.setup(model)

    train, test = chainer.datasets.get_mnist(sample=not args.full)
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(
        test, args.batchsize, repeat=False, shuffle=False)

    updater = training.updaters.StandardUpdater(
        train_iter, optimizer, device=device)
    stop = (args.epoch, 'epoch') if args.max_iterations is None else \
        (args.max_iterations, 'iteration')
    trainer = training.Trainer(updater, stop, out=args.out)

    # Test accuracy every epoch, and once before training.
    trainer.extend(extensions.Evaluator(test_iter, model, device=device),
                   call_before_training=True)
    # The graph of the loss, at the first iteration.
    trainer.extend(extensions.DumpGraph('main/loss'))
    # Snapshots of the whole trainer; only the newest is kept.
    frequency = args.epoch if args.frequency == -1 else max(1,
                                                            args.frequency)
    trainer.extend(extensions.snapshot(n_retains=1, autoload=args.autoload),
                   trigger=(frequency, 'epoch'))
    trainer.extend(extensions.LogReport(), call_before_training=True)
    if args.plot and extensions.PlotReport.available():
        trainer.extend(extensions.PlotReport(
            ['main/loss', 'validation/main/loss'], 'epoch',
            filename='loss.png'), call_before_training=True)
        trainer.extend(extensions.PlotReport(
            ['main/accuracy', 'validation/main/accuracy'], 'epoch',
            filename='accuracy.png'), call_before_training=True)
    # out=sys.stdout: the stream current now (the default is the one of
    # the time dynet was imported, which may have been replaced since).
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time'], out=sys.stdout),
        call_before_training=True)
    if args.progress:
        trainer.extend(extensions.ProgressBar(out=sys.stdout))

    if args.resume is not None:
        # Loaded before training starts; --autoload, if it finds a
        # snapshot in --out, loads that one afterwards instead.
        chainer.serializers.load_npz(args.resume, trainer)

    trainer.run()

    accuracy = trainer.observation.get('validation/main/accuracy')
    if accuracy is not None:
        accuracy = float(accuracy)
        print('final test accuracy: {:.4f}'.format(accuracy))
    print('log, snapshot and graph in {}'.format(os.path.abspath(args.out)))
    return accuracy


if __name__ == '__main__':
    main()
