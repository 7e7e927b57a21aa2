"""Multi-head classification: one CNN, several classifier heads.

A base CNN computes features; each head is a linear classifier of one
label column, with its own loss and its own optimizer. The base has an
optimizer too and learns from the gradients of all heads together. The
updater is a StandardUpdater subclass with its own ``update_core``.

Images are read lazily with Pillow from a list file (see ``data.py``).
Without ``--train``, 1,000 training and 500 test digits of dynet's
bundled MNIST sample are written as PNGs under ``OUT/data`` with two label
columns: the digit (10 classes) and its parity (2 classes).

Written to ``--out`` (default ``result/multihead``):
  log          per-epoch losses and accuracies of every head (JSON)
  model.npz    the trained parameters (base/..., <head>/W, <head>/b)
  model.json   the settings that rebuild the model (used by predict.py)

    python examples/multihead/train.py [--epoch 3] [--loaderjob 2]
    python examples/multihead/predict.py result/multihead/model.npz \
        result/multihead/data/test.txt
"""
import argparse
import os
import sys

import numpy

import dynet
from dynet import iterators, optimizers, training
from dynet.training import extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import (ImageListDataset, SAMPLE_HEADS, convert_batch,  # NOQA
                  write_sample_images)
from net import MultiHeadNet, MultiHeadUpdater, save_model  # NOQA


def parse_heads(text):
    """'digit:10,parity:2' -> [('digit', 10), ('parity', 2)]"""
    heads = []
    for item in text.split(','):
        name, _, classes = item.partition(':')
        if not classes.isdigit():
            raise argparse.ArgumentTypeError(
                'heads are written name:classes, got {!r}'.format(item))
        heads.append((name.strip(), int(classes)))
    return heads


def make_iterator(dataset, batchsize, loaderjob, train):
    repeat_shuffle = dict(repeat=train, shuffle=train)
    if loaderjob:
        return iterators.MultiprocessIterator(
            dataset, batchsize, n_processes=loaderjob, **repeat_shuffle)
    return iterators.SerialIterator(dataset, batchsize, **repeat_shuffle)


def evaluate(model, dataset, batchsize=250):
    """Accuracy of every head on ``dataset``: {name: accuracy}."""
    correct = numpy.zeros(len(model.head_names))
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        for start in range(0, len(dataset), batchsize):
            x, t = convert_batch(dataset[start:start + batchsize])
            for i, y in enumerate(model(x)):
                correct[i] += int((y.array.argmax(axis=1) == t[:, i]).sum())
    return {name: correct[i] / len(dataset)
            for i, name in enumerate(model.head_names)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--train', help='training list file (default: '
                        'MNIST sample digits written as PNGs)')
    parser.add_argument('--test', help='test list file')
    parser.add_argument('--heads', type=parse_heads,
                        help='name:classes per label column, e.g. '
                        'digit:10,parity:2 (required with --train)')
    parser.add_argument('--samples', type=int, nargs=2, default=[1000, 500],
                        metavar=('TRAIN', 'TEST'),
                        help='sizes of the generated image set')
    parser.add_argument('--size', type=int, default=28,
                        help='images are resized to SIZE x SIZE')
    parser.add_argument('--rgb', action='store_true',
                        help='read colour images (default: grayscale)')
    parser.add_argument('--channels', type=int, default=16)
    parser.add_argument('--features', type=int, default=64)
    parser.add_argument('--epoch', type=int, default=3)
    parser.add_argument('--batchsize', type=int, default=50)
    parser.add_argument('--lr', type=float, default=1e-3,
                        help='Adam alpha of the base and of every head')
    parser.add_argument('--loaderjob', type=int, default=0,
                        help='load images in N worker processes '
                        '(MultiprocessIterator); 0: in this process')
    parser.add_argument('--out', default=os.path.join('result', 'multihead'))
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    if args.train is None:
        if args.test is not None:
            parser.error('--test needs --train')
        args.train, args.test = write_sample_images(
            os.path.join(args.out, 'data'), *args.samples)
        heads = args.heads or SAMPLE_HEADS
    else:
        if args.heads is None:
            parser.error('--train needs --heads')
        heads = args.heads
    train = ImageListDataset(args.train, args.size, args.rgb)
    test = ImageListDataset(args.test, args.size, args.rgb) \
        if args.test else None
    if train.n_labels != len(heads):
        parser.error('{} has {} label columns but {} heads were given'
                     .format(args.train, train.n_labels, len(heads)))

    numpy.random.seed(args.seed)
    model = MultiHeadNet(heads, 3 if args.rgb else 1, args.size,
                         args.channels, args.features)
    base_optimizer = optimizers.Adam(alpha=args.lr).setup(model.base)
    head_optimizers = {name: optimizers.Adam(alpha=args.lr).setup(head)
                       for name, head in model.heads()}

    train_iter = make_iterator(train, args.batchsize, args.loaderjob, True)
    updater = MultiHeadUpdater(train_iter, model, base_optimizer,
                               head_optimizers, convert_batch)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    keys = ['epoch', 'main/loss']
    if test is not None:
        test_iter = make_iterator(test, 250, args.loaderjob, False)
        targets = {'main': model.base}
        targets.update(model.heads())
        trainer.extend(extensions.Evaluator(
            test_iter, targets, converter=convert_batch,
            eval_func=model.losses))
        keys.append('validation/main/loss')
    for name in model.head_names:
        keys += [name + '/accuracy']
        if test is not None:
            keys += ['validation/{}/accuracy'.format(name)]
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(keys + ['elapsed_time']))
    # the trainer finalizes the iterators (stops the loader workers), also
    # when training is interrupted
    trainer.run()

    config = {'heads': [list(h) for h in heads], 'rgb': args.rgb,
              'size': args.size, 'channels': args.channels,
              'features': args.features}
    save_model(model, config, args.out)
    accuracy = evaluate(model, test) if test is not None else {}
    for name, value in accuracy.items():
        print('test accuracy of head {}: {:.4f}'.format(name, value))
    print('parameters saved in {}'.format(os.path.join(args.out,
                                                       'model.npz')))
    return model, accuracy


if __name__ == '__main__':
    main()
