#!/usr/bin/env python3
"""Runs the tape-overhead benchmark under dynet and Chainer; prints markdown.

Run with the system ``python3`` (the one dynet uses)::

    python3 benchmarks/run_all.py
    python3 benchmarks/run_all.py --chainer-python /opt/chainer-venv/bin/python

dynet is run in a subprocess of this interpreter with ``PYTHONPATH`` set to
the repository root; Chainer is run in a subprocess of ``--chainer-python``
(skipped, with a note, when that interpreter is missing or cannot import
Chainer).  Each side prints one JSON line (``tape_overhead.py --json``) and
this script joins them into one markdown table.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys


HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(HERE, 'tape_overhead.py')
DEFAULT_CHAINER_PYTHON = '/opt/chainer-venv/bin/python'

sys.path.insert(0, HERE)
from _machine import cpu_model  # NOQA: E402
from tape_overhead import BENCHMARKS  # NOQA: E402


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


def git_revision():
    try:
        out = subprocess.run(
            ['git', 'describe', '--always', '--dirty'], cwd=REPO_ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            universal_newlines=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def run_side(python, framework, env, extra_args):
    """Returns ``(report, error_message)``."""
    cmd = [python, SCRIPT, '--framework', framework, '--json'] + extra_args
    try:
        proc = subprocess.run(
            cmd, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, universal_newlines=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as error:
        return None, '{}: {}'.format(type(error).__name__, error)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ['(no stderr)']
        return None, 'exit status {}: {}'.format(proc.returncode, tail[0])
    lines = [l for l in proc.stdout.splitlines() if l.startswith('{')]
    if not lines:
        return None, 'no JSON output'
    return json.loads(lines[-1]), None


def dynet_env():
    env = dict(os.environ)
    old = env.get('PYTHONPATH')
    env['PYTHONPATH'] = REPO_ROOT + (os.pathsep + old if old else '')
    return env


def chainer_env():
    # Keep the repository (and anything else) off Chainer's path.
    env = dict(os.environ)
    env.pop('PYTHONPATH', None)
    return env


def fmt_us(value):
    return 'error' if value is None else '{:.2f}'.format(value)


def combine(reports):
    """Merges the reports of several rounds: per row, the best time.

    Adds ``range_us`` (per row, ``(min, max)`` over the rounds) so that the
    noise between rounds can be shown.
    """
    merged = dict(reports[0])
    best = {}
    ranges = {}
    errors = {}
    for name in BENCHMARKS:
        values = [r['results_us'].get(name) for r in reports]
        values = [v for v in values if v is not None]
        if values:
            best[name] = min(values)
            ranges[name] = (min(values), max(values))
        else:
            best[name] = None
            for r in reports:
                if name in r.get('errors', {}):
                    errors[name] = r['errors'][name]
    merged['results_us'] = best
    merged['range_us'] = ranges
    merged['errors'] = errors
    merged['rounds'] = len(reports)
    return merged


def fmt_range(side, name):
    low_high = side['range_us'].get(name)
    if not low_high:
        return 'n/a'
    low, high = low_high
    return '{:.2f}–{:.2f} (+{:.0f}%)'.format(
        low, high, 100.0 * (high - low) / low if low else 0.0)


def markdown(dynet, chainer, chainer_note):
    lines = []
    now = datetime.datetime.now().astimezone()
    revision = git_revision()
    header = '{} | CPU: {} ({} CPUs available) | dynet {}{}: Python {}, ' \
             'numpy {}'.format(
                 now.strftime('%Y-%m-%d %H:%M %Z'), cpu_model(), cpu_count(),
                 dynet['framework_version'],
                 ' (git {})'.format(revision) if revision else '',
                 dynet['python'], dynet['numpy'])
    if chainer is not None:
        header += ' | Chainer {}: Python {}, numpy {}'.format(
            chainer['framework_version'], chainer['python'],
            chainer['numpy'])
    lines.append(header)
    lines.append('')
    lines.append(
        'Times in microseconds, lower is better. Each cell is the best over '
        '{} round(s){} of the best of {} repeats (>= {} s each); the '
        '"range" columns give the spread of the per-round values.'.format(
            dynet['rounds'],
            ' (dynet and Chainer alternating)' if chainer is not None else '',
            dynet['repeat'], dynet['min_time_s']))
    if chainer is None:
        lines.append('')
        lines.append('Chainer not available ({}); dynet only.'.format(
            chainer_note))
    lines.append('')
    if chainer is not None:
        lines.append('| benchmark | dynet µs | Chainer µs | dynet/Chainer '
                     '| dynet range | Chainer range |')
        lines.append('|---|---:|---:|---:|---:|---:|')
    else:
        lines.append('| benchmark | dynet µs | dynet range |')
        lines.append('|---|---:|---:|')
    for name in BENCHMARKS:
        d = dynet['results_us'].get(name)
        if chainer is None:
            lines.append('| {} | {} | {} |'.format(
                name, fmt_us(d), fmt_range(dynet, name)))
            continue
        c = chainer['results_us'].get(name)
        ratio = '{:.2f}'.format(d / c) if d is not None and c else 'n/a'
        lines.append('| {} | {} | {} | {} | {} | {} |'.format(
            name, fmt_us(d), fmt_us(c), ratio, fmt_range(dynet, name),
            fmt_range(chainer, name)))
    notes = []
    for side in (dynet, chainer):
        if side is None:
            continue
        for name, message in sorted(side.get('errors', {}).items()):
            notes.append('{} `{}` failed: `{}`'.format(
                side['framework'], name, message))
    if chainer is not None:
        differ = [(k, dynet['check'][k], chainer['check'].get(k))
                  for k in sorted(dynet['check'])
                  if k != 'add_type' and
                  dynet['check'][k] != chainer['check'].get(k)]
        if differ:
            notes.append('results differ (dynet vs Chainer): {}'.format(
                differ))
    if notes:
        lines.append('')
        lines.extend('- ' + note for note in notes)
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--chainer-python', default=DEFAULT_CHAINER_PYTHON,
                        help='interpreter with Chainer 7 installed '
                             '(default: %(default)s)')
    parser.add_argument('--dynet-python', default=sys.executable,
                        help='interpreter for the dynet side (default: this '
                             'one); e.g. the Chainer venv, to compare on the '
                             'same numpy')
    parser.add_argument('--no-chainer', action='store_true',
                        help='run dynet only')
    parser.add_argument('--rounds', type=int, default=4,
                        help='run each side this many times, alternating; '
                             'the best per row is reported '
                             '(default: %(default)s)')
    parser.add_argument('--repeat', type=int, default=None,
                        help='passed to tape_overhead.py')
    parser.add_argument('--min-time', type=float, default=None,
                        help='passed to tape_overhead.py')
    parser.add_argument('--disable-gc', action='store_true',
                        help='passed to tape_overhead.py')
    parser.add_argument('--json-out', default=None,
                        help='also write the raw JSON reports of every round '
                             'here')
    args = parser.parse_args(argv)

    extra = []
    if args.repeat is not None:
        extra += ['--repeat', str(args.repeat)]
    if args.min_time is not None:
        extra += ['--min-time', str(args.min_time)]
    if args.disable_gc:
        extra.append('--disable-gc')

    chainer_python = None
    if args.no_chainer:
        note = '--no-chainer given'
    elif not os.path.exists(args.chainer_python):
        note = '{} not found'.format(args.chainer_python)
    else:
        chainer_python = args.chainer_python
        note = None

    dynet_runs = []
    chainer_runs = []
    for _ in range(max(1, args.rounds)):
        report, error = run_side(args.dynet_python, 'dynet', dynet_env(),
                                 extra)
        if report is None:
            sys.stderr.write('dynet benchmark failed: {}\n'.format(error))
            return 1
        dynet_runs.append(report)
        if chainer_python is not None:
            report, note = run_side(chainer_python, 'chainer',
                                    chainer_env(), extra)
            if report is None:
                chainer_python = None  # e.g. Chainer not installed there
                chainer_runs = []
            else:
                chainer_runs.append(report)

    dynet = combine(dynet_runs)
    chainer = combine(chainer_runs) if chainer_runs else None
    print(markdown(dynet, chainer, note))
    if args.json_out:
        with open(args.json_out, 'w') as f:
            json.dump({'dynet': dynet_runs, 'chainer': chainer_runs}, f,
                      indent=1, sort_keys=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
