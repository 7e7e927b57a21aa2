"""MNIST-sized MLP (784-1000-1000-10, ReLU) train step: forward, softmax
cross entropy, backward and an optimizer update, batch 100.

Runs under dynet, Chainer or PyTorch (CPU), whichever ``--framework``
names; prints JSON with milliseconds per step (best of several rounds).

    python benchmarks/mlp_train_step.py --framework dynet [--optimizer sgd]
"""
import argparse
import json
import sys

import numpy

from _timing import best_ms


def _data(batch):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(0, 1, (batch, 784)).astype(numpy.float32)
    t = rng.randint(0, 10, batch).astype(numpy.int32)
    return x, t


def chainer_like_step(module, optimizer_name, batch):
    """dynet and Chainer share this code (same API)."""
    links, optimizers, functions = module.links, module.optimizers, \
        module.functions

    class MLP(module.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l1 = links.Linear(784, 1000)
                self.l2 = links.Linear(1000, 1000)
                self.l3 = links.Linear(1000, 10)

        def forward(self, x):
            h = functions.relu(self.l1(x))
            h = functions.relu(self.l2(h))
            return self.l3(h)

    model = links.Classifier(MLP())
    optimizer = optimizers.Adam() if optimizer_name == 'adam' else \
        optimizers.SGD(lr=0.01)
    optimizer.setup(model)
    x, t = _data(batch)

    def step():
        optimizer.update(model, x, t)
    return step


def torch_step(optimizer_name, batch):
    import torch
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 1000), torch.nn.ReLU(),
        torch.nn.Linear(1000, 1000), torch.nn.ReLU(),
        torch.nn.Linear(1000, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3) \
        if optimizer_name == 'adam' else \
        torch.optim.SGD(model.parameters(), lr=0.01)
    x, t = _data(batch)
    x = torch.from_numpy(x)
    t = torch.from_numpy(t.astype(numpy.int64))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), t)
        loss.backward()
        optimizer.step()
    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--framework', choices=['dynet', 'chainer', 'torch'],
                        required=True)
    parser.add_argument('--optimizer', choices=['sgd', 'adam'],
                        default='sgd')
    parser.add_argument('--batch', type=int, default=100)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--steps', type=int, default=10)
    args = parser.parse_args()
    if args.framework == 'torch':
        import torch
        step = torch_step(args.optimizer, args.batch)
        version = torch.__version__
    else:
        module = __import__(args.framework)
        for name in ('links', 'optimizers', 'functions'):
            __import__(args.framework + '.' + name)
        step = chainer_like_step(module, args.optimizer, args.batch)
        version = module.__version__
    ms = best_ms(step, args.rounds, args.steps, warmup=3)
    print(json.dumps({'framework': args.framework, 'version': version,
                      'numpy': numpy.__version__,
                      'python': sys.version.split()[0],
                      'optimizer': args.optimizer, 'ms_per_step': ms}))


if __name__ == '__main__':
    main()
