#!/usr/bin/env python
"""CIFAR-style image classification from a folder-per-class image tree.

    python examples/cifar/train.py --model linear          # synthetic data
    python examples/cifar/train.py --model bncnn --data DIR --epoch 20

``--data DIR`` is a tree of images in one folder per class, read with
``dynet.datasets.DirectoryParsingLabelDataset``::

    DIR/train/<class>/*.png
    DIR/test/<class>/*.png     (optional: else 10% of train is held out)

(``DIR/<class>/*.png`` without train/test folders works too.) Without
``--data`` a small synthetic CIFAR-like tree (32x32 RGB PNGs, 10 classes
told apart by colour and shape, with random placement and noise) is
generated under ``--out`` so the example runs offline.

Training: Adam (alpha 0.003), shuffled mini-batches of 32, images loaded
by ``--loaderjob`` background processes (MultiprocessIterator; 0 loads in
the main process). The Evaluator runs the test set every epoch with
``config.train`` False, so BatchNormalization normalises with its running
averages (and does not update them) and dropout is off -- evaluating in
training mode is the classic mistake this avoids. LogReport writes
``--out``/log and PrintReport prints a line per epoch.
"""
import argparse
import os
import sys

import numpy

import dynet as chainer
import dynet.datasets  # NOQA
import dynet.iterators  # NOQA
import dynet.links as L
import dynet.optimizers  # NOQA
import dynet.serializers  # NOQA
from dynet import training
from dynet.training import extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # NOQA

CLASS_NAMES = ('airplane', 'automobile', 'bird', 'cat', 'deer', 'dog',
               'frog', 'horse', 'ship', 'truck')


# ----------------------------------------------------------- synthetic data
def _shape_mask(kind, size, rng):
    """A boolean ``size x size`` mask of shape ``kind`` (0-9) at a random
    position and scale."""
    yy, xx = numpy.mgrid[0:size, 0:size].astype(numpy.float32)
    r = rng.uniform(0.2, 0.35) * size
    cy, cx = rng.uniform(r, size - r, 2)
    dy, dx = yy - cy, xx - cx
    if kind == 0:                                       # disc
        return dy ** 2 + dx ** 2 < r ** 2
    if kind == 1:                                       # square
        return (abs(dy) < r * 0.8) & (abs(dx) < r * 0.8)
    if kind == 2:                                       # triangle
        return (dy < r * 0.7) & (abs(dx) < (dy + r) * 0.6)
    if kind == 3:                                       # ring
        d = numpy.sqrt(dy ** 2 + dx ** 2)
        return (d < r) & (d > r * 0.6)
    if kind == 4:                                       # cross
        return (((abs(dy) < r * 0.25) & (abs(dx) < r)) |
                ((abs(dx) < r * 0.25) & (abs(dy) < r)))
    if kind == 5:                                       # horizontal stripes
        return (yy // 3).astype(int) % 2 == 0
    if kind == 6:                                       # vertical stripes
        return (xx // 3).astype(int) % 2 == 0
    if kind == 7:                                       # diagonal band
        return abs(dy - dx) < r * 0.4
    if kind == 8:                                       # checkerboard
        return ((yy // 4).astype(int) + (xx // 4).astype(int)) % 2 == 0
    return (dy ** 2 / 4 + dx ** 2 < r ** 2 / 2)          # flat ellipse


def _class_colours(n_class):
    rng = numpy.random.RandomState(1234)
    return rng.uniform(40, 215, (n_class, 3))


def synthetic_image(label, rng, size=32):
    """One ``size x size x 3`` uint8 image of class ``label``: a class
    shape in a class colour (jittered) on a random background, plus
    Gaussian noise."""
    colours = _class_colours(len(CLASS_NAMES))
    background = rng.uniform(0, 255, 3)
    image = numpy.empty((size, size, 3), dtype=numpy.float32)
    image[:] = background
    mask = _shape_mask(label, size, rng)
    image[mask] = colours[label] + rng.normal(0, 20, 3)
    image += rng.normal(0, 25, image.shape)
    return numpy.clip(image, 0, 255).astype(numpy.uint8)


def make_synthetic_tree(root, n_train=100, n_test=20, seed=0):
    """Writes ``root/{train,test}/<class>/<i>.png`` (``n_train`` and
    ``n_test`` images per class) unless it is already there."""
    from PIL import Image
    marker = os.path.join(root, 'COMPLETE')
    if os.path.exists(marker):
        with open(marker) as f:
            if f.read().strip() == '{} {} {}'.format(n_train, n_test, seed):
                return root
    rng = numpy.random.RandomState(seed)
    for split, count in (('train', n_train), ('test', n_test)):
        for label, name in enumerate(CLASS_NAMES):
            directory = os.path.join(root, split, name)
            os.makedirs(directory, exist_ok=True)
            for i in range(count):
                Image.fromarray(synthetic_image(label, rng)).save(
                    os.path.join(directory, '{:05d}.png'.format(i)))
    with open(marker, 'w') as f:
        f.write('{} {} {}'.format(n_train, n_test, seed))
    return root


# -------------------------------------------------------------- data loading
def _scale(example):
    # 0-255 -> roughly -1..1 (the same fixed transform for every split)
    image, label = example
    return image / numpy.float32(127.5) - numpy.float32(1), label


def load_tree(root, seed=0):
    """(train, test, class names) from a folder-per-class tree."""
    train_dir = os.path.join(root, 'train')
    test_dir = os.path.join(root, 'test')
    if not os.path.isdir(train_dir):
        train_dir = root
    train = chainer.datasets.DirectoryParsingLabelDataset(train_dir)
    names = train.label_names
    if train_dir != root and os.path.isdir(test_dir):
        test = chainer.datasets.DirectoryParsingLabelDataset(test_dir)
        if test.label_names != names:
            raise ValueError('train and test have different classes')
    else:
        train, test = _hold_out(train, seed)
    return (chainer.datasets.TransformDataset(train, _scale),
            chainer.datasets.TransformDataset(test, _scale), names)


def _hold_out(dataset, seed):
    n_test = max(1, len(dataset) // 10)
    test, train = chainer.datasets.split_dataset_random(dataset, n_test,
                                                        seed)
    return train, test


def bn_statistics(link):
    """Copies of the running mean/variance of every BatchNormalization in
    ``link``, keyed by path."""
    return {path: (sub.avg_mean.copy(), sub.avg_var.copy())
            for path, sub in link.namedlinks()
            if isinstance(sub, L.BatchNormalization)}


# ----------------------------------------------------------------------- main
def main(argv=None):
    parser = argparse.ArgumentParser(
        description='dynet example: CIFAR-style classification')
    parser.add_argument('--model', '-m', choices=models.MODELS,
                        default='linear')
    parser.add_argument('--data', default=None,
                        help='folder-per-class image tree (default: a '
                        'generated synthetic one)')
    parser.add_argument('--batchsize', '-b', type=int, default=32)
    parser.add_argument('--epoch', '-e', type=int, default=4)
    parser.add_argument('--lr', type=float, default=0.003,
                        help="Adam's alpha")
    parser.add_argument('--loaderjob', '-j', type=int, default=2,
                        help='background processes loading images '
                        '(0: load in the main process)')
    parser.add_argument('--out', '-o',
                        default=os.path.join('result', 'cifar'))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--synthetic-train', type=int, default=100,
                        help='synthetic training images per class')
    parser.add_argument('--synthetic-test', type=int, default=20,
                        help='synthetic test images per class')
    parser.add_argument('--small', action='store_true',
                        help='narrow model (for quick tests)')
    args = parser.parse_args(argv)

    numpy.random.seed(args.seed)
    data = args.data
    if data is None:
        data = make_synthetic_tree(
            os.path.join(args.out, 'synthetic_data'), args.synthetic_train,
            args.synthetic_test, args.seed)
    train, test, names = load_tree(data, args.seed)
    print('{}: {} training / {} test images, {} classes'.format(
        data, len(train), len(test), len(names)))

    model = L.Classifier(models.build(args.model, len(names), args.small))
    optimizer = chainer.optimizers.Adam(alpha=args.lr)
    optimizer.setup(model)

    if args.loaderjob > 0:
        train_iter = chainer.iterators.MultiprocessIterator(
            train, args.batchsize, n_processes=args.loaderjob)
        test_iter = chainer.iterators.MultiprocessIterator(
            test, args.batchsize, repeat=False, shuffle=False,
            n_processes=args.loaderjob)
    else:
        train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
        test_iter = chainer.iterators.SerialIterator(
            test, args.batchsize, repeat=False, shuffle=False)

    updater = training.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    # Evaluator: test mode (BN running averages, no dropout), no backprop.
    trainer.extend(extensions.Evaluator(test_iter, model))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time']))
    try:
        trainer.run()
    finally:
        for it in (train_iter, test_iter):
            if hasattr(it, 'finalize'):
                it.finalize()
    chainer.serializers.save_npz(
        os.path.join(args.out, 'model_{}.npz'.format(args.model)), model)

    accuracy = trainer.observation.get('validation/main/accuracy')
    accuracy = float(accuracy.array if hasattr(accuracy, 'array')
                     else accuracy)
    print('{}: test accuracy {:.4f} after {} epochs'.format(
        args.model, accuracy, args.epoch))
    return accuracy


if __name__ == '__main__':
    main()
