#!/usr/bin/env python
"""Cost of data-parallel training over MPI (dynet.distributed) on this
machine.

1. The gradient average (``comm.multi_node_mean_grad``) with 2 processes,
   for the gradients of the MNIST MLP (784-1000-1000-10, 1.80 M floats) and
   of ResNet-50 (161 parameters, 25.6 M floats), with the 'flat'
   communicator (everything packed into one buffer, one MPI_Allreduce),
   the 'naive' one (one MPI_Allreduce per parameter), and a bare
   ``MPI_Allreduce`` of one buffer of the same size for reference.
2. Training throughput of the MNIST MLP (batch 100 per process, MomentumSGD,
   random MNIST-shaped data): one process without MPI (with 1 and with all
   BLAS threads) against 2 processes with the multi-node optimizer
   (1 BLAS thread each), with and without double buffering.

Run from the repository root (needs mpiexec and mpi4py):

    python benchmarks/distributed_allreduce.py [--repeat 20] [--iterations 30]

It prints one markdown table per part. The script launches itself under
mpiexec (``--worker ...``) for each measurement.
"""
import argparse
import json
import os
import sys
import time

import numpy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MLP_SHAPES = [(1000, 784), (1000,), (1000, 1000), (1000,), (10, 1000),
              (10,)]


def resnet50_shapes():
    """The parameter shapes of ResNet-50 (convolutions without bias, batch
    normalization scale and shift, the 1000-way classifier)."""
    shapes = [(64, 3, 7, 7), (64,), (64,)]
    in_channels = 64
    for blocks, mid, out in ((3, 64, 256), (4, 128, 512), (6, 256, 1024),
                             (3, 512, 2048)):
        for block in range(blocks):
            shapes += [(mid, in_channels, 1, 1), (mid,), (mid,),
                       (mid, mid, 3, 3), (mid,), (mid,),
                       (out, mid, 1, 1), (out,), (out,)]
            if block == 0:
                shapes += [(out, in_channels, 1, 1), (out,), (out,)]
            in_channels = out
    return shapes + [(1000, 2048), (1000,)]


def model_of(shapes):
    """A link with one float32 parameter (and gradient) per shape."""
    import dynet
    link = dynet.Link()
    for i, shape in enumerate(shapes):
        link.add_param('p{:03d}'.format(i), shape)
        param = getattr(link, 'p{:03d}'.format(i))
        param.array[...] = 0.5
        param.grad = numpy.full(shape, 0.25, numpy.float32)
    return link


def timed(function, repeat, barrier):
    """The median and the best of ``repeat`` timed calls (after 3 warm-up
    calls), each started together on every rank."""
    for _ in range(3):
        function()
    times = []
    for _ in range(repeat):
        barrier()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(numpy.median(times)), float(min(times))


# ---------------------------------------------------------------- workers

def worker_allreduce(repeat):
    import dynet.distributed as dd
    from mpi4py import MPI
    flat = dd.create_communicator('flat')
    naive = dd.create_communicator('naive')
    barrier = flat.mpi_comm.Barrier
    rows = []
    for label, shapes in (('MLP 784-1000-1000-10', MLP_SHAPES),
                          ('ResNet-50', resnet50_shapes())):
        model = model_of(shapes)
        count = sum(int(numpy.prod(s)) for s in shapes)
        buffer = numpy.full(count, 0.25, numpy.float32)
        result = numpy.empty_like(buffer)
        raw = timed(lambda: flat.mpi_comm.Allreduce(buffer, result, MPI.SUM),
                    repeat, barrier)
        flat_time = timed(lambda: flat.multi_node_mean_grad(model), repeat,
                          barrier)
        naive_time = timed(lambda: naive.multi_node_mean_grad(model),
                           repeat, barrier)
        rows.append({'model': label, 'params': len(shapes),
                     'floats': count, 'raw': raw, 'flat': flat_time,
                     'naive': naive_time})
    if flat.rank == 0:
        print('RESULT ' + json.dumps({'size': flat.size, 'rows': rows}))
    naive.finalize()
    flat.finalize()


def mlp_and_data(batch, iterations, seed):
    import dynet
    import dynet.functions as F
    import dynet.links as L

    class MLP(dynet.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(784, 1000)
                self.l2 = L.Linear(1000, 1000)
                self.l3 = L.Linear(1000, 10)

        def forward(self, x):
            return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))

    numpy.random.seed(seed)
    model = L.Classifier(MLP())
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(0, 1, (iterations, batch, 784)).astype(numpy.float32)
    t = rng.randint(0, 10, (iterations, batch)).astype(numpy.int32)
    return model, x, t


def worker_train(batch, iterations, mode):
    import dynet
    if mode == 'single':
        model, x, t = mlp_and_data(batch, iterations + 3, 0)
        optimizer = dynet.optimizers.MomentumSGD(lr=0.01).setup(model)
        rank, size = 0, 1

        def barrier():
            pass
    else:
        import dynet.distributed as dd
        comm = dd.create_communicator('flat')
        model, x, t = mlp_and_data(batch, iterations + 3, comm.rank)
        optimizer = dd.create_multi_node_optimizer(
            dynet.optimizers.MomentumSGD(lr=0.01), comm,
            double_buffering=(mode == 'double')).setup(model)
        rank, size = comm.rank, comm.size
        barrier = comm.mpi_comm.Barrier
    for i in range(3):   # the broadcast step and warm-up
        optimizer.update(model, x[i], t[i])
    barrier()
    start = time.perf_counter()
    for i in range(3, iterations + 3):
        optimizer.update(model, x[i], t[i])
    barrier()
    elapsed = time.perf_counter() - start
    if rank == 0:
        print('RESULT ' + json.dumps({
            'size': size, 'seconds': elapsed,
            'images_per_second': size * batch * iterations / elapsed}))


# ----------------------------------------------------------- orchestrator

def launch(n, worker_args, threads):
    """Runs this script as a worker; returns its RESULT dict."""
    import subprocess
    from dynet.distributed import _launcher
    env = {'OMP_NUM_THREADS': str(threads),
           'OPENBLAS_NUM_THREADS': str(threads),
           'MKL_NUM_THREADS': str(threads)}
    if n == 0:   # no MPI at all
        completed = subprocess.run(
            [sys.executable, __file__] + [str(a) for a in worker_args],
            capture_output=True,
            text=True, timeout=600, env=_launcher.mpi_environment(env))
    else:
        completed = _launcher.run_python(n, __file__, worker_args,
                                         timeout=600, env=env)
    for line in completed.stdout.splitlines():
        if line.startswith('RESULT '):
            return json.loads(line[len('RESULT '):])
    raise RuntimeError('the worker failed:\n{}\n{}'.format(
        completed.stdout[-3000:], completed.stderr[-3000:]))


def milliseconds(pair):
    return '{:.2f} ({:.2f})'.format(pair[0] * 1e3, pair[1] * 1e3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeat', type=int, default=20,
                        help='timed repetitions of each all-reduce')
    parser.add_argument('--iterations', type=int, default=60,
                        help='timed training iterations')
    parser.add_argument('--rounds', type=int, default=3,
                        help='training runs per setup (taken in turns); '
                        'the best is reported')
    parser.add_argument('--batch', type=int, default=100,
                        help='training batch per process')
    parser.add_argument('--worker', nargs='+', help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        kind = args.worker[0]
        if kind == 'allreduce':
            worker_allreduce(args.repeat)
        else:
            worker_train(args.batch, args.iterations, args.worker[1])
        return

    import platform
    cores = os.cpu_count()
    print('{} | {} cores | Python {} | numpy {}'.format(
        time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), cores,
        platform.python_version(), numpy.__version__))
    print()

    result = launch(2, ['--repeat', args.repeat, '--worker', 'allreduce'],
                    threads=1)
    print('Gradient average with {} processes, float32; median (best) of {} '
          'calls, in ms:'.format(result['size'], args.repeat))
    print()
    print('| gradients | parameters | floats | MPI_Allreduce of one buffer '
          '| flat (packed) | naive (per parameter) | flat bandwidth |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for row in result['rows']:
        # Bus bandwidth of an all-reduce: 2 (n - 1) / n bytes per byte.
        size = result['size']
        moved = 2 * (size - 1) / size * row['floats'] * 4
        print('| {} | {} | {:,} | {} | {} | {} | {:.2f} GB/s |'.format(
            row['model'], row['params'], row['floats'],
            milliseconds(row['raw']), milliseconds(row['flat']),
            milliseconds(row['naive']), moved / row['flat'][0] / 1e9))
    print()

    runs = [('1 process, no MPI, 1 BLAS thread', 0, 1, 'single'),
            ('1 process, no MPI, {} BLAS threads'.format(cores), 0, cores,
             'single'),
            ('2 processes (flat), 1 BLAS thread each', 2, 1, 'plain'),
            ('2 processes (flat, double buffering), 1 BLAS thread each', 2,
             1, 'double')]
    print('Training the MNIST MLP (784-1000-1000-10), batch {} per process, '
          '{} timed iterations, in images per second:'.format(
              args.batch, args.iterations))
    print()
    print('| setup | images/s (best of {}) | all runs | speed-up |'.format(
        args.rounds))
    print('|---|---:|---|---:|')
    speeds = {label: [] for label, _, _, _ in runs}
    for _ in range(args.rounds):   # in turns, so that noise spreads evenly
        for label, n, threads, mode in runs:
            result = launch(n, ['--batch', args.batch, '--iterations',
                                args.iterations, '--worker', 'train', mode],
                            threads)
            speeds[label].append(result['images_per_second'])
    base = max(speeds[runs[0][0]])
    for label, _, _, _ in runs:
        best = max(speeds[label])
        print('| {} | {:.0f} | {} | {:.2f}x |'.format(
            label, best, ', '.join('{:.0f}'.format(v)
                                   for v in speeds[label]), best / base))


if __name__ == '__main__':
    main()
