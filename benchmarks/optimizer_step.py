"""One Adam (or SGD) update over the parameters of two model shapes:
the MLP 784-1000-1000-10 and a ResNet-18 (ImageNet shapes, 11.7 M
parameters), with fixed random gradients. Runs under dynet, Chainer or
PyTorch (CPU); prints JSON with milliseconds per update.

    python benchmarks/optimizer_step.py --framework dynet --model mlp
"""
import argparse
import json
import sys

import numpy

from _timing import best_ms


def mlp_shapes():
    return [(1000, 784), (1000,), (1000, 1000), (1000,), (10, 1000), (10,)]


def resnet18_shapes():
    shapes = [(64, 3, 7, 7), (64,), (64,)]

    def conv_bn(out_c, in_c, k):
        shapes.extend([(out_c, in_c, k, k), (out_c,), (out_c,)])

    in_c = 64
    for out_c, first_stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for block in range(2):
            conv_bn(out_c, in_c, 3)
            conv_bn(out_c, out_c, 3)
            if block == 0 and (first_stride != 1 or in_c != out_c):
                conv_bn(out_c, in_c, 1)
            in_c = out_c
    shapes.extend([(1000, 512), (1000,)])
    return shapes


def _arrays(shapes):
    rng = numpy.random.RandomState(0)
    return [(rng.normal(0, 0.05, s).astype(numpy.float32),
             rng.normal(0, 0.01, s).astype(numpy.float32)) for s in shapes]


def chainer_like(module, shapes, optimizer_name):
    link = module.Link()
    grads = []
    with link.init_scope():
        for i, (data, grad) in enumerate(_arrays(shapes)):
            setattr(link, 'p{}'.format(i), module.Parameter(data))
            grads.append(grad)
    params = [getattr(link, 'p{}'.format(i)) for i in range(len(shapes))]
    optimizer = module.optimizers.Adam() if optimizer_name == 'adam' else \
        module.optimizers.SGD(lr=0.01)
    optimizer.setup(link)

    def step():
        for p, g in zip(params, grads):
            p.grad = g.copy()
        optimizer.update()
    return step


def torch_like(shapes, optimizer_name):
    import torch
    params, grads = [], []
    for data, grad in _arrays(shapes):
        params.append(torch.nn.Parameter(torch.from_numpy(data)))
        grads.append(torch.from_numpy(grad))
    optimizer = torch.optim.Adam(params) if optimizer_name == 'adam' else \
        torch.optim.SGD(params, lr=0.01)

    def step():
        for p, g in zip(params, grads):
            p.grad = g.clone()
        optimizer.step()
    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--framework', choices=['dynet', 'chainer', 'torch'],
                        required=True)
    parser.add_argument('--model', choices=['mlp', 'resnet18'],
                        default='mlp')
    parser.add_argument('--optimizer', choices=['adam', 'sgd'],
                        default='adam')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--steps', type=int, default=5)
    args = parser.parse_args()
    shapes = mlp_shapes() if args.model == 'mlp' else resnet18_shapes()
    if args.framework == 'torch':
        import torch
        step = torch_like(shapes, args.optimizer)
        version = torch.__version__
    else:
        module = __import__(args.framework)
        __import__(args.framework + '.optimizers')
        step = chainer_like(module, shapes, args.optimizer)
        version = module.__version__
    ms = best_ms(step, args.rounds, args.steps, warmup=3)
    print(json.dumps({
        'framework': args.framework, 'version': version,
        'numpy': numpy.__version__, 'python': sys.version.split()[0],
        'model': args.model, 'optimizer': args.optimizer,
        'parameters': int(sum(numpy.prod(s) for s in shapes)),
        'ms_per_update': ms}))


if __name__ == '__main__':
    main()
