"""Trains a two-layer perceptron on dynet's bundled MNIST sample, op by op.

Only the autograd tape is used: parameters are Variables, the loss is
written with dynet functions, and the SGD update is a loop over the
parameters. Prints the loss and test accuracy per epoch.

    python examples/mnist_tape/train.py [--epochs 10] [--batchsize 100]
"""
import argparse
import time

import numpy

import dynet
import dynet.functions as F
from dynet.datasets import mnist_sample


def load(split):
    images, labels = mnist_sample.load_arrays(split)
    x = images.reshape(len(images), -1).astype(numpy.float32) / 256
    return x, labels.astype(numpy.int32)


def init_params(rng, sizes):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w = rng.normal(0, numpy.sqrt(1 / n_in), (n_in, n_out))
        params.append(dynet.Variable(w.astype(numpy.float32), name='W'))
        params.append(dynet.Variable(numpy.zeros(n_out, numpy.float32),
                                     name='b'))
    return params


def predict(params, x):
    w1, b1, w2, b2 = params
    h = F.relu(x @ w1 + b1)
    return h @ w2 + b2


def cross_entropy(logits, t):
    # log-softmax, shifted by the row maximum for numerical stability.
    shift = logits.array.max(axis=1, keepdims=True)
    z = logits - shift
    log_norm = F.log(F.sum(F.exp(z), axis=1, keepdims=True))
    log_p = z - log_norm
    picked = log_p[numpy.arange(len(t)), t]
    return -F.sum(picked) / len(t)


def accuracy(params, x, t):
    with dynet.no_backprop_mode():
        return float((predict(params, x).array.argmax(axis=1) == t).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--batchsize', type=int, default=100)
    parser.add_argument('--lr', type=float, default=0.3)
    parser.add_argument('--hidden', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()

    rng = numpy.random.RandomState(args.seed)
    x_train, t_train = load('train')
    x_test, t_test = load('test')
    params = init_params(rng, (784, args.hidden, 10))
    print('dynet {}: {} training and {} test digits'.format(
        dynet.__version__, len(x_train), len(x_test)))

    start = time.time()
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(len(x_train))
        total = 0.0
        for i in range(0, len(order), args.batchsize):
            batch = order[i:i + args.batchsize]
            loss = cross_entropy(predict(params, x_train[batch]),
                                 t_train[batch])
            for p in params:
                p.cleargrad()
            loss.backward()
            for p in params:
                p.array -= args.lr * p.grad
            total += float(loss.array) * len(batch)
        print('epoch {}  loss {:.4f}  test accuracy {:.4f}  ({:.1f}s)'.format(
            epoch, total / len(order), accuracy(params, x_test, t_test),
            time.time() - start))
    return accuracy(params, x_test, t_test)


if __name__ == '__main__':
    main()
