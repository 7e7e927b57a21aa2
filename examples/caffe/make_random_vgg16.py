"""Writes a randomly initialized VGG-16 as a ``.caffemodel``, so that the
Caffe example can run without downloading the real weights.

    python examples/caffe/make_random_vgg16.py vgg16_random.caffemodel \
        [--format layer|v1] [--width 1.0] [--classes 1000]

``--width 1.0`` is the real VGG-16 size (528 MiB); smaller widths scale
every layer down (the test uses ``--width 0.0625``).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vgg16_net import vgg16_layers  # NOQA

from dynet.links.caffe import writer  # NOQA


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('path')
    parser.add_argument('--format', choices=('layer', 'v1'), default='layer')
    parser.add_argument('--width', type=float, default=1.0)
    parser.add_argument('--classes', type=int, default=1000)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    layers = vgg16_layers(args.width, n_classes=args.classes, seed=args.seed)
    if args.format == 'v1':
        # The V1 format declares inputs on the net, not with an Input layer.
        layers = layers[1:]
        writer.save_caffemodel(args.path, layers, format='v1',
                               name='VGG_ILSVRC_16_layers', input=['data'],
                               input_dim=[1, 3, 224, 224])
    else:
        writer.save_caffemodel(args.path, layers, name='VGG_ILSVRC_16_layers')
    print('wrote {} ({:.1f} MiB)'.format(
        args.path, os.path.getsize(args.path) / 2 ** 20))


if __name__ == '__main__':
    main()
