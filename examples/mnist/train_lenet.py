"""LeNet on MNIST with bookkeeping, after the classic Caffe tutorial.

Trains on dynet's bundled real MNIST sample (4,000 training / 1,000 test
digits; ``--full`` downloads full MNIST instead) with plain SGD, learning
rate 0.1 decayed by x0.999 every iteration, batch 64, 200 iterations.

Written to ``--out`` (default ``result/lenet``):
  log               loss and accuracy of every iteration (JSON)
  params_log        mean/std/min/max of every parameter and gradient
  snapshot_iter_N   the trainer (all parameters and the iteration) every 20
  train.dot, deploy.dot   the graphs of the training and deploy models
  loss.png, accuracy.png  curves (when matplotlib is installed)
  samples.png       a few test digits with their predicted probabilities

The test view shares the trained parameters; the deploy view is a fresh
model that loads them from the last checkpoint.

    python examples/mnist/train_lenet.py [--iterations 200] [--out DIR]
"""
import argparse
import os
import sys

import numpy

import dynet
from dynet import computational_graph, iterators, optimizers, serializers
from dynet import training
import dynet.links as L
from dynet.training import extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lenet import Deploy, LeNet  # NOQA


def load_data(full):
    # uint8 pixels cast to float32 and scaled by 1/256 (get_mnist scales by
    # scale/255).
    return dynet.datasets.get_mnist(ndim=3, scale=255. / 256.,
                                    sample=not full)


def evaluate(predictor, dataset, batchsize=500):
    """Test view: the same parameters, test mode, no graph."""
    correct = 0
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        for start in range(0, len(dataset), batchsize):
            x, t = dynet.dataset.concat_examples(
                dataset[start:start + batchsize])
            correct += int((predictor(x).array.argmax(axis=1) == t).sum())
    return correct / len(dataset)


def dump_graphs(model, deploy, x, t, out):
    loss = model(x, t)
    with open(os.path.join(out, 'train.dot'), 'w') as f:
        f.write(computational_graph.build_computational_graph(
            [loss]).dump())
    with open(os.path.join(out, 'deploy.dot'), 'w') as f:
        f.write(computational_graph.build_computational_graph(
            [deploy(x)]).dump())


def save_sample_images(deploy, dataset, path, count=8):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    x, t = dynet.dataset.concat_examples(dataset[:count])
    with dynet.using_config('train', False), dynet.no_backprop_mode():
        probabilities = deploy(x).array
    fig, axes = plt.subplots(2, count, figsize=(2 * count, 4))
    for i in range(count):
        axes[0, i].imshow(x[i, 0], cmap='gray')
        axes[0, i].set_title('label {}'.format(int(t[i])))
        axes[0, i].axis('off')
        axes[1, i].bar(range(10), probabilities[i])
        axes[1, i].set_ylim(0, 1)
        axes[1, i].set_xticks(range(10))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--iterations', type=int, default=200)
    parser.add_argument('--batchsize', type=int, default=64)
    parser.add_argument('--lr', type=float, default=0.1)
    parser.add_argument('--out', default=os.path.join('result', 'lenet'))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--full', action='store_true',
                        help='download and use the full MNIST')
    parser.add_argument('--no-progress', action='store_true')
    args = parser.parse_args(argv)

    numpy.random.seed(args.seed)
    train, test = load_data(args.full)
    predictor = LeNet()
    model = L.Classifier(predictor)
    optimizer = optimizers.SGD(lr=args.lr).setup(model)

    train_iter = iterators.SerialIterator(train, args.batchsize)
    updater = training.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (args.iterations, 'iteration'),
                               out=args.out)
    every_iteration = (1, 'iteration')
    trainer.extend(extensions.ExponentialShift('lr', 0.999),
                   trigger=every_iteration)
    trainer.extend(extensions.LogReport(trigger=every_iteration))
    trainer.extend(extensions.ParameterStatistics(
        model, trigger=(20, 'iteration')), name='params')
    trainer.extend(extensions.LogReport(
        keys=None, trigger=(20, 'iteration'), filename='params_log'),
        name='params_log')
    trainer.extend(extensions.snapshot(), trigger=(20, 'iteration'))
    trainer.extend(extensions.PlotReport(
        ['main/loss'], 'iteration', trigger=(20, 'iteration'),
        filename='loss.png'))
    trainer.extend(extensions.PlotReport(
        ['main/accuracy'], 'iteration', trigger=(20, 'iteration'),
        filename='accuracy.png'))
    trainer.extend(extensions.PrintReport(
        ['iteration', 'main/loss', 'main/accuracy', 'lr', 'elapsed_time']),
        trigger=(20, 'iteration'))
    trainer.extend(extensions.observe_lr(), trigger=every_iteration)
    if not args.no_progress:
        trainer.extend(extensions.ProgressBar(update_interval=20))
    trainer.run()

    accuracy = evaluate(predictor, test)

    # Deploy view: a fresh model loading the parameters of the last
    # checkpoint (the trainer snapshot stores the model under
    # updater/model:main/).
    deploy = Deploy(LeNet())
    snapshot = os.path.join(
        args.out, 'snapshot_iter_{}'.format(updater.iteration))
    serializers.load_npz(snapshot, deploy.predictor,
                         path='updater/model:main/predictor/')
    deploy_accuracy = evaluate(deploy.predictor, test)

    x, t = dynet.dataset.concat_examples(test[:2])
    dump_graphs(model, deploy, x, t, args.out)
    plotted = save_sample_images(deploy, test, os.path.join(
        args.out, 'samples.png'))

    print('test accuracy: {:.4f} (deploy model from {}: {:.4f})'.format(
        accuracy, snapshot, deploy_accuracy))
    print('log, parameter statistics, snapshots and graphs in {}{}'.format(
        args.out, ' (plots too)' if plotted else ''))
    return accuracy


if __name__ == '__main__':
    main()
