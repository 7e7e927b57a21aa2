"""Runs the model-level benchmarks (MLP train step, optimizer update, and
the LeNet, Conv-BN, ResNet, LSTM and VGG-16 cases of model_step.py) under
dynet, Chainer 7.8.1 and PyTorch (CPU) and prints one markdown table.

    python benchmarks/run_models.py [--chainer-python PATH]
                                    [--torch-python PATH] [--threads N]
                                    [--repeat N]

Each framework runs in its own interpreter (Chainer needs numpy<2, so it
lives in a separate virtual environment; see benchmarks/README.md). BLAS
and PyTorch use ``--threads`` threads in every framework. ``--repeat``
runs every case that many times, the frameworks taking turns, and keeps
each one's best: on a shared or virtual machine one run can be 30% off.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from _machine import cpu_model  # NOQA: E402

CASES = [
    ('MLP train step, SGD (ms)', 'mlp_train_step.py', ['--optimizer', 'sgd'],
     'ms_per_step'),
    ('MLP train step, Adam (ms)', 'mlp_train_step.py',
     ['--optimizer', 'adam'], 'ms_per_step'),
    ('Adam update, MLP params (ms)', 'optimizer_step.py',
     ['--model', 'mlp'], 'ms_per_update'),
    ('Adam update, ResNet-18 params (ms)', 'optimizer_step.py',
     ['--model', 'resnet18'], 'ms_per_update'),
    ('LeNet train step, SGD, batch 64 (ms)', 'model_step.py',
     ['--case', 'lenet-b64'], 'ms_per_step'),
    ('Conv-BN-ReLU 10-20-40-80 train step, batch 32 (ms)', 'model_step.py',
     ['--case', 'convbn-small-b32'], 'ms_per_step'),
    ('ResNet 16-32-64-128-256 train step, batch 32 (ms)', 'model_step.py',
     ['--case', 'resnet-small-b32'], 'ms_per_step'),
    ('LSTM LM (vocab 1000, 200 units) 35x20 step (ms)', 'model_step.py',
     ['--case', 'lstm-small-b20'], 'ms_per_step'),
    ('VGG-16 inference, batch 1 (ms)', 'model_step.py',
     ['--case', 'vgg16-infer-b1'], 'ms_per_step'),
]


def run(python, script, framework, extra, threads):
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS=str(threads),
               OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    result = subprocess.run(
        [python, os.path.join(HERE, script), '--framework', framework] +
        extra, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1]
    return json.loads(result.stdout.strip().splitlines()[-1]), None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--chainer-python',
                        default='/opt/chainer-venv/bin/python')
    parser.add_argument('--torch-python', default='/opt/torch-venv/bin/python')
    parser.add_argument('--threads', type=int, default=os.cpu_count())
    parser.add_argument('--repeat', type=int, default=1)
    args = parser.parse_args()
    frameworks = [('dynet', sys.executable)]
    for name, python in (('chainer', args.chainer_python),
                         ('torch', args.torch_python)):
        if os.path.exists(python):
            frameworks.append((name, python))
        else:
            print('({} not found at {}: column omitted)'.format(name, python))
    versions = {}
    rows = []
    for title, script, extra, key in CASES:
        best = {}
        for _ in range(max(args.repeat, 1)):
            for name, python in frameworks:
                data, error = run(python, script, name, extra, args.threads)
                if data is None:
                    best.setdefault(name, 'error: ' + error)
                    continue
                versions[name] = '{} {} (Python {}, numpy {})'.format(
                    name, data['version'], data['python'], data['numpy'])
                previous = best.get(name)
                if not isinstance(previous, float) or data[key] < previous:
                    best[name] = data[key]
        rows.append([title] + [best[name] for name, _ in frameworks])
    print('{} | {} | {} thread(s) | best of {} run(s) | {}'.format(
        datetime.datetime.now().strftime('%Y-%m-%d %H:%M'), cpu_model(),
        args.threads, max(args.repeat, 1), '; '.join(versions.values())))
    print()
    names = [name for name, _ in frameworks]
    header = '| benchmark | ' + ' | '.join(names)
    if 'chainer' in names:
        header += ' | dynet/Chainer'
    if 'torch' in names:
        header += ' | dynet/PyTorch'
    print(header + ' |')
    print('|---' * (len(header.split('|')) - 1) + '|')
    for row in rows:
        cells = [row[0]] + ['{:.2f}'.format(v) if isinstance(v, float)
                            else v for v in row[1:]]
        for other in ('chainer', 'torch'):
            if other in names:
                a, b = row[1], row[1 + names.index(other)]
                cells.append('{:.2f}'.format(a / b) if isinstance(a, float)
                             and isinstance(b, float) else 'n/a')
        print('| ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
