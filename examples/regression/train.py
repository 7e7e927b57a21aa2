"""Scenario 5: linear regression y = w.x + b written op by op.

Parameters are plain Variables, the loss is written with dynet operators,
and SGD is a hand-written loop with a "step" learning-rate policy (x0.9
every 20 iterations). Prints the learned w and b against the ground
truth, writes the computational graph (Graphviz dot) and, when
matplotlib is installed, a plot of the w/b trajectory.

    python examples/regression/train.py [--out result/regression]
"""
import argparse
import os

import numpy

import dynet
import dynet.functions as F
from dynet import computational_graph

TRUE_W = numpy.array([2.0, 1.5], numpy.float32)
TRUE_B = 0.5


def batch(rng, size):
    x = rng.normal(size=(size, 2)).astype(numpy.float32)
    noise = rng.normal(size=size).astype(numpy.float32)
    return x, (x @ TRUE_W + TRUE_B + noise).astype(numpy.float32)


def train(iterations=100, batch_size=64, lr=0.1, gamma=0.9, step=20,
          seed=0):
    """Returns (w, b, trajectory, last loss Variable)."""
    rng = numpy.random.RandomState(seed)
    w = dynet.Variable(numpy.zeros(2, numpy.float32), name='w')
    b = dynet.Variable(numpy.zeros(1, numpy.float32), name='b')
    trajectory = []
    loss = None
    for iteration in range(iterations):
        x, y = batch(rng, batch_size)
        prediction = F.matmul(x, w) + b
        loss = F.sum((prediction - y) ** 2) / batch_size
        loss.name = 'loss'
        w.cleargrad()
        b.cleargrad()
        loss.backward()
        rate = lr * gamma ** (iteration // step)
        w.array -= rate * w.grad
        b.array -= rate * b.grad
        trajectory.append((iteration + 1, *w.array.tolist(),
                           float(b.array[0]), float(loss.array)))
    return w, b, trajectory, loss


def plot(trajectory, path):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('matplotlib is not installed: no plot (pip install '
              'matplotlib)')
        return False
    data = numpy.array(trajectory)
    fig, ax = plt.subplots(figsize=(6, 4))
    for column, label, truth in ((1, 'w[0]', TRUE_W[0]),
                                 (2, 'w[1]', TRUE_W[1]), (3, 'b', TRUE_B)):
        line, = ax.plot(data[:, 0], data[:, column], label=label)
        ax.axhline(truth, color=line.get_color(), linestyle=':')
    ax.set_xlabel('iteration')
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--iterations', type=int, default=100)
    parser.add_argument('--out', default=os.path.join('result', 'regression'))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    w, b, trajectory, loss = train(args.iterations)
    print('learned w = [{:.3f}, {:.3f}]   true w = [{}, {}]'.format(
        *w.array, *TRUE_W))
    print('learned b = {:.3f}            true b = {}'.format(
        float(b.array[0]), TRUE_B))
    graph_path = os.path.join(args.out, 'graph.dot')
    with open(graph_path, 'w') as f:
        f.write(computational_graph.build_computational_graph(
            [loss]).dump())
    print('graph: {}'.format(graph_path))
    plot_path = os.path.join(args.out, 'trajectory.png')
    if plot(trajectory, plot_path):
        print('trajectory plot: {}'.format(plot_path))


if __name__ == '__main__':
    main()
