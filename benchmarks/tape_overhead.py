#!/usr/bin/env python
"""Micro-benchmark of the per-operation overhead of the autograd tape.

The same code runs against dynet or against Chainer v7::

    cd benchmarks
    PYTHONPATH=.. python3 tape_overhead.py --framework dynet
    /opt/chainer-venv/bin/python tape_overhead.py --framework chainer

The arrays are tiny (10 float32 elements), so what is measured is almost
entirely Python-side bookkeeping: creating function nodes, recording the
graph, type checks, config lookups and the backward traversal.

Each benchmark is warmed up, then timed like ``timeit``: the number of loops
per repeat is chosen so that one repeat takes at least ``--min-time`` seconds,
and the best (smallest) of ``--repeat`` repeats is reported, in microseconds.

``--json`` prints a single JSON line (used by ``benchmarks/run_all.py``);
otherwise a small table is printed.
"""

import argparse
import gc
import json
import os
import platform
import sys
import time


N_ELEMENTS = 10
N_CHAIN_OPS = 20  # 19 elementwise ops (add, mul, relu, add, ...) + F.sum

# Order in which rows are reported.
BENCHMARKS = (
    'add_forward',
    'add_forward_no_type_check',
    'add_forward_no_backprop',
    'chain_fwd_bwd_per_op',
    'chain_fwd_bwd_per_op_no_type_check',
)

DESCRIPTIONS = {
    'add_forward':
        'y = x + x, forward only, graph recorded (default config)',
    'add_forward_no_type_check':
        "same, under using_config('type_check', False)",
    'add_forward_no_backprop':
        'same, under no_backprop_mode() (no graph recorded)',
    'chain_fwd_bwd_per_op':
        '20-op chain (add/mul/relu..., F.sum) fwd + backward, '
        'us per op',
    'chain_fwd_bwd_per_op_no_type_check':
        "same, under using_config('type_check', False)",
}


def import_framework(name):
    """Returns ``(chainer_module, functions_module)`` for ``name``."""
    if name == 'dynet':
        try:
            import dynet as chainer
        except ImportError:
            # Fall back to the repository this script lives in.
            repo_root = os.path.dirname(
                os.path.dirname(os.path.abspath(__file__)))
            sys.path.insert(0, repo_root)
            import dynet as chainer
    elif name == 'chainer':
        import chainer
    else:
        raise ValueError('unknown framework: {!r}'.format(name))
    import importlib
    functions = importlib.import_module(chainer.__name__ + '.functions')
    return chainer, functions


class Timer(object):
    """``timeit``-style timer: warm up, auto-range, best of N repeats."""

    def __init__(self, repeat=7, min_time=0.05, warmup_time=0.05,
                 disable_gc=False):
        self.repeat = repeat
        self.min_time = min_time
        self.warmup_time = warmup_time
        self.disable_gc = disable_gc

    @staticmethod
    def _loop(func, number):
        # Unrolled by 10 to keep the loop's own cost small relative to the
        # body (the body is a couple of microseconds at the least).
        outer, rest = divmod(number, 10)
        timer = time.perf_counter
        t0 = timer()
        for _ in range(outer):
            func(); func(); func(); func(); func()  # NOQA
            func(); func(); func(); func(); func()  # NOQA
        for _ in range(rest):
            func()
        return timer() - t0

    def best_seconds(self, func):
        """Returns the best time per call of ``func()``, in seconds."""
        # Warm-up: caches, lazily built tables, first-call imports.
        deadline = time.perf_counter() + self.warmup_time
        func()
        while time.perf_counter() < deadline:
            func()

        gc_was_enabled = gc.isenabled()
        if self.disable_gc:
            gc.disable()
        try:
            # Auto-range: 1, 2, 5, 10, 20, 50, ... until one repeat is long
            # enough.
            number = 1
            while True:
                for factor in (1, 2, 5):
                    n = number * factor
                    elapsed = self._loop(func, n)
                    if elapsed >= self.min_time:
                        number = n
                        break
                else:
                    number *= 10
                    continue
                break
            times = [elapsed]
            for _ in range(self.repeat - 1):
                times.append(self._loop(func, number))
        finally:
            if gc_was_enabled:
                gc.enable()
        return min(times) / number, number


def make_benchmarks(chainer, F, np):
    """Returns ``{name: (context_factory, func, divisor)}``."""
    rng = np.random.RandomState(0)
    # Values near 1 keep the chain's values bounded and mostly positive.
    x_data = rng.uniform(0.5, 1.5, N_ELEMENTS).astype(np.float32)
    x = chainer.Variable(x_data)

    def add_forward():
        y = x + x  # NOQA

    def chain_fwd_bwd():
        x.cleargrad()
        h = x
        for i in range(N_CHAIN_OPS - 1):
            kind = i % 3
            if kind == 0:
                h = h + x
            elif kind == 1:
                h = h * x
            else:
                h = F.relu(h)
        loss = F.sum(h)
        loss.backward()
        return loss

    def default_config():
        return chainer.using_config('type_check', chainer.config.type_check)

    def no_type_check():
        return chainer.using_config('type_check', False)

    benchmarks = {
        'add_forward': (default_config, add_forward, 1),
        'add_forward_no_type_check': (no_type_check, add_forward, 1),
        'add_forward_no_backprop': (chainer.no_backprop_mode, add_forward, 1),
        'chain_fwd_bwd_per_op': (default_config, chain_fwd_bwd, N_CHAIN_OPS),
        'chain_fwd_bwd_per_op_no_type_check':
            (no_type_check, chain_fwd_bwd, N_CHAIN_OPS),
    }

    # Sanity check, so that the two frameworks are known to compute the same
    # thing (reported in the JSON output).
    loss = chain_fwd_bwd()
    check = {
        'chain_loss': float(loss.array),
        'chain_grad_sum': float(x.grad.sum()),
        'add_type': type(x + x).__module__ + '.' + type(x + x).__name__,
    }
    return benchmarks, check


def run(framework, names, timer):
    import numpy as np
    chainer, F = import_framework(framework)
    benchmarks, check = make_benchmarks(chainer, F, np)
    results = {}
    loops = {}
    errors = {}
    for name in names:
        context_factory, func, divisor = benchmarks[name]
        try:
            with context_factory():
                seconds, number = timer.best_seconds(func)
        except Exception as error:  # reported, so other rows still run
            results[name] = None
            errors[name] = '{}: {}'.format(type(error).__name__, error)
            continue
        results[name] = seconds * 1e6 / divisor
        loops[name] = number
    return {
        'framework': framework,
        'framework_version': getattr(chainer, '__version__', 'unknown'),
        'framework_file': os.path.dirname(os.path.abspath(chainer.__file__)),
        'python': platform.python_version(),
        'python_implementation': platform.python_implementation(),
        'numpy': np.__version__,
        'repeat': timer.repeat,
        'min_time_s': timer.min_time,
        'gc_disabled_while_timing': timer.disable_gc,
        'unit': 'us',
        'results_us': results,
        'loops_per_repeat': loops,
        'errors': errors,
        'check': check,
    }


def print_table(report, out=sys.stdout):
    out.write('{} {}  (Python {}, numpy {}; best of {} repeats)\n'.format(
        report['framework'], report['framework_version'], report['python'],
        report['numpy'], report['repeat']))
    width = max(len(name) for name in report['results_us'])
    out.write('{:<{w}}  {:>10}  {}\n'.format('benchmark', 'us', 'what',
                                              w=width))
    out.write('{}  {}  {}\n'.format('-' * width, '-' * 10, '-' * 40))
    for name, value in report['results_us'].items():
        value = 'ERROR' if value is None else '{:.2f}'.format(value)
        out.write('{:<{w}}  {:>10}  {}\n'.format(
            name, value, DESCRIPTIONS.get(name, ''), w=width))
    for name, message in report['errors'].items():
        out.write('error in {}: {}\n'.format(name, message))
    out.write('check: {}\n'.format(report['check']))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--framework', choices=('dynet', 'chainer'),
                        default='dynet')
    parser.add_argument('--json', action='store_true',
                        help='print one JSON line instead of a table')
    parser.add_argument('--repeat', type=int, default=7,
                        help='repeats per benchmark; the best is reported')
    parser.add_argument('--min-time', type=float, default=0.05,
                        help='minimum seconds per repeat (auto-ranged)')
    parser.add_argument('--disable-gc', action='store_true',
                        help='disable the cyclic GC while timing, as timeit '
                             'does (default: GC stays enabled, as in real '
                             'programs)')
    parser.add_argument('--only', action='append', choices=BENCHMARKS,
                        help='run only this benchmark (may be repeated)')
    args = parser.parse_args(argv)

    timer = Timer(repeat=max(1, args.repeat), min_time=args.min_time,
                  disable_gc=args.disable_gc)
    names = args.only or list(BENCHMARKS)
    report = run(args.framework, names, timer)
    if args.json:
        sys.stdout.write(json.dumps(report, sort_keys=True) + '\n')
    else:
        print_table(report)


if __name__ == '__main__':
    main()
