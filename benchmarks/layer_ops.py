"""Forward and forward+backward times of single layers at the shapes of
the Conv-BN and ResNet model cases (batch 32): 3x3 convolution (stride 1
and 2), 1x1 stride-2 convolution, 2x2 max pooling and batch
normalization. Prints a markdown table; compare two checkouts by running
it under each (``PYTHONPATH=path/to/checkout``).

    OPENBLAS_NUM_THREADS=1 python benchmarks/layer_ops.py [--repeat N]
"""
import argparse

import numpy

import dynet
import dynet.functions as F
from _timing import best_ms


def _conv(c, size, out, k, stride):
    pad = k // 2
    w = dynet.Variable(numpy.random.RandomState(1).normal(
        0, 0.1, (out, c, k, k)).astype(numpy.float32))

    def run(x):
        w.cleargrad()  # the weight gradient is computed, not accumulated
        return F.convolution_2d(x, w, stride=stride, pad=pad)
    return 'conv {}x{} s{} {}->{} @{}x{}'.format(k, k, stride, c, out, size,
                                                 size), (c, size), run


def _pool(c, size):
    return 'max_pooling 2x2 s2 {} @{}x{}'.format(c, size, size), (c, size), \
        lambda x: F.max_pooling_2d(x, 2, 2)


def _bn(c, size):
    gamma = numpy.ones(c, numpy.float32)
    beta = numpy.zeros(c, numpy.float32)
    return 'batch_normalization {} @{}x{}'.format(c, size, size), \
        (c, size), lambda x: F.batch_normalization(x, gamma, beta)


CASES = [
    _conv(16, 32, 16, 3, 1), _conv(32, 16, 32, 3, 1), _conv(64, 8, 64, 3, 1),
    _conv(128, 4, 128, 3, 1), _conv(256, 2, 256, 3, 1),
    _conv(16, 32, 32, 3, 2), _conv(32, 16, 64, 3, 2), _conv(16, 32, 32, 1, 2),
    _pool(10, 32), _pool(20, 16), _pool(40, 8), _pool(80, 4),
    _bn(16, 32), _bn(64, 8), _bn(256, 2),
]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--repeat', type=int, default=20)
    args = parser.parse_args(argv)
    rng = numpy.random.RandomState(0)
    print('dynet {}, numpy {}, batch {}, best of {}'.format(
        dynet.__version__, numpy.__version__, args.batch, args.repeat))
    print()
    print('| layer | forward (ms) | forward + backward (ms) |')
    print('|---|---|---|')
    for title, (c, size), run in CASES:
        data = rng.normal(size=(args.batch, c, size, size)).astype(
            numpy.float32)
        x = dynet.Variable(data)

        def forward():
            with dynet.no_backprop_mode():
                run(data)

        def train():
            y = run(x)
            y.grad = numpy.ones_like(y.array)
            y.backward()
            x.cleargrad()

        print('| {} | {:.2f} | {:.2f} |'.format(
            title, best_ms(forward, args.repeat),
            best_ms(train, args.repeat)))


if __name__ == '__main__':
    main()
