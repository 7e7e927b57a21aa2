"""Restores a model saved by train.py in a fresh process and evaluates it.

The model is built from ``model.json`` (next to the .npz file) unless
``--heads``/``--channels``/``--features`` say otherwise, then the saved
parameters are loaded into it by name. A file that lacks a parameter of
the model, or stores one with another shape, is reported and nothing runs.

    python examples/multihead/predict.py MODEL.npz LIST [--scores OUT.npz]
"""
import argparse
import json
import os
import sys

import numpy

import dynet

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import ImageListDataset, convert_batch  # NOQA
from net import RestoreError, build_model, restore  # NOQA
from train import evaluate, parse_heads  # NOQA


def scores(model, dataset, batchsize=250):
    """{head name: (len(dataset), n_classes) array of scores}"""
    parts = {name: [] for name in model.head_names}
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        for start in range(0, len(dataset), batchsize):
            x, _ = convert_batch(dataset[start:start + batchsize])
            for name, y in zip(model.head_names, model(x)):
                parts[name].append(y.array)
    return {name: numpy.concatenate(p) for name, p in parts.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('model', help='model.npz written by train.py')
    parser.add_argument('list', help='list file of the images to classify')
    parser.add_argument('--heads', type=parse_heads)
    parser.add_argument('--channels', type=int)
    parser.add_argument('--features', type=int)
    parser.add_argument('--scores', help='also write the scores of every '
                        'head to this .npz file (one array per head)')
    args = parser.parse_args(argv)

    with open(os.path.join(os.path.dirname(args.model), 'model.json')) as f:
        config = json.load(f)
    for key in ('heads', 'channels', 'features'):
        if getattr(args, key) is not None:
            config[key] = getattr(args, key)
    model = build_model(config)
    try:
        restore(args.model, model)
    except RestoreError as e:
        sys.exit('error: {}'.format(e))

    dataset = ImageListDataset(args.list, config['size'], config['rgb'])
    accuracy = evaluate(model, dataset)
    if args.scores:
        numpy.savez(args.scores, **scores(model, dataset))
    for name, value in accuracy.items():
        print('test accuracy of head {}: {:.4f}'.format(name, value))
    return accuracy


if __name__ == '__main__':
    main()
