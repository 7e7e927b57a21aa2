"""Model-level benchmark of dynet against PyTorch on one device (issue #10).

    python benchmarks/gpu_models.py [--device cuda|cuda:N|cpu]
        [--frameworks dynet,torch] [--cases NAME,...] [--quick]
        [--steps N] [--warmup N] [--seed N] [--json-out FILE] [--list]

Runs each case (see ``--list`` and benchmarks/_gpu_cases.py) under dynet
and under PyTorch in this one process, on the same device, and prints a
markdown table: throughput, its ratio, peak device memory, its ratio, and a
check that both frameworks computed the same numbers (the PyTorch model
gets the dynet model's initial weights and both get the same data).

For each case and framework: 2 check steps (their outputs are compared
across frameworks, and peak memory is measured over them), ``--warmup``
steps, then ``--steps`` timed steps between two device synchronizations.
Both frameworks compute in strict FP32 (TF32 off). A case that raises shows
'error' in its cell and the message under the table; the run goes on.
"""
import argparse
import contextlib
import datetime
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# The dynet of this checkout, and _gpu_cases next to this file.
for _path in (ROOT, HERE):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import _gpu_cases  # NOQA: E402 (needs the path above)
from _machine import cpu_model  # NOQA: E402
import dynet as chainer  # NOQA: E402

FRAMEWORKS = ('dynet', 'torch')
CHECK_STEPS = 2
# Largest relative difference of the check values that still counts as
# "both frameworks computed the same thing" in FP32.
CHECK_TOLERANCE = 1e-3
MIB = 1024.0 * 1024.0


# ------------------------------------------------------------- memory --

class PeakTracker:
    """Running total and peak of bytes in use, fed with allocations and
    releases."""

    def __init__(self, start_bytes):
        self.current = start_bytes
        self.peak = start_bytes

    def allocated(self, nbytes):
        self.current += nbytes
        if self.current > self.peak:
            self.peak = self.current

    def released(self, nbytes):
        self.current -= nbytes


def cupy_peak_hook(cupy, pool, device_id):
    """A ``cupy.cuda.MemoryHook`` that follows the bytes the memory pool
    hands out on one device (``pool.used_bytes()`` at entry, then every
    malloc and free), so ``hook.tracker.peak`` is the pool's peak use
    inside the ``with`` block."""

    class CupyPeakHook(cupy.cuda.MemoryHook):
        name = 'DynetBenchmarkPeakHook'

        def __enter__(self):
            self.tracker = PeakTracker(pool.used_bytes())
            return super().__enter__()

        def malloc_postprocess(self, **kwargs):
            if kwargs['device_id'] == device_id and kwargs['mem_ptr']:
                self.tracker.allocated(kwargs['mem_size'])

        def free_postprocess(self, **kwargs):
            if kwargs['device_id'] == device_id:
                self.tracker.released(kwargs['mem_size'])

    return CupyPeakHook()


class MemoryReading:
    """Filled in by ``track_peak_memory``: ``peak_bytes`` (None where not
    measured) and ``drift_bytes`` (dynet on GPU: the hook's running total
    minus the pool's own count at the end; nonzero means the hook missed
    something)."""

    peak_bytes = None
    drift_bytes = None


# ------------------------------------------------------------ runners --

class DynetRunner:
    """dynet on ``@numpy`` or ``@cupy:N``, used as a Chainer user would."""

    name = 'dynet'

    def __init__(self, device_kind, device_id):
        self.gpu = device_kind == 'cuda'
        self.device_id = device_id
        self.device = chainer.get_device(
            '@cupy:{}'.format(device_id) if self.gpu else '@numpy')
        self.device.use()
        if self.gpu:
            import cupy
            self.cupy = cupy

    def versions(self):
        versions = {'dynet': chainer.__version__}
        if self.gpu:
            versions['cupy'] = self.cupy.__version__
        return versions

    def build(self, family, config, prepared):
        model = prepared.take_dynet_model()
        model.to_device(self.device)
        data = {key: self.device.send(value)
                for key, value in prepared.data.items()}
        optimizer = family.dynet_optimizer(model)
        return family.dynet_step(model, optimizer, data)

    def synchronize(self):
        if self.gpu:
            self.cupy.cuda.Device(self.device_id).synchronize()

    @contextlib.contextmanager
    def track_peak_memory(self):
        reading = MemoryReading()
        if not self.gpu:
            yield reading
            return
        self.synchronize()
        pool = self.cupy.get_default_memory_pool()
        with cupy_peak_hook(self.cupy, pool, self.device_id) as hook:
            yield reading
            self.synchronize()
        reading.peak_bytes = hook.tracker.peak
        reading.drift_bytes = hook.tracker.current - pool.used_bytes()

    def memory_in_use(self):
        """Bytes the memory pool has handed out (None on the CPU)."""
        if not self.gpu:
            return None
        self.synchronize()
        return self.cupy.get_default_memory_pool().used_bytes()

    def check_value(self, output):
        array = chainer.backend.CpuDevice().send(output.array)
        return float(numpy.abs(numpy.asarray(array, numpy.float64)).sum())

    def release_memory(self):
        gc.collect()
        if self.gpu:
            self.cupy.get_default_memory_pool().free_all_blocks()
            self.cupy.get_default_pinned_memory_pool().free_all_blocks()


class TorchRunner:
    """PyTorch on ``cpu`` or ``cuda:N``, FP32 strict (TF32 off)."""

    name = 'torch'

    def __init__(self, device_kind, device_id):
        self.torch = torch = _gpu_cases.torch_modules().torch
        self.gpu = device_kind == 'cuda'
        if self.gpu:
            if not torch.cuda.is_available():
                raise RuntimeError('PyTorch {} was built without CUDA or '
                                   'sees no GPU (torch.cuda.is_available() '
                                   'is False)'.format(torch.__version__))
            self.device = torch.device('cuda', device_id)
            torch.cuda.set_device(self.device)
            # PyTorch's default is already False for matmul but True for
            # cuDNN convolutions: both off, so everything is FP32.
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
        else:
            self.device = torch.device('cpu')

    def versions(self):
        return {'torch': self.torch.__version__}

    def build(self, family, config, prepared):
        torch = self.torch
        torch.manual_seed(0)
        model = family.torch_model(config)
        _gpu_cases.load_dynet_state(model, prepared.state)
        model.to(self.device)
        data = {key: torch.from_numpy(value).to(self.device)
                for key, value in prepared.data.items()}
        optimizer = family.torch_optimizer(model)
        return family.torch_step(model, optimizer, data)

    def synchronize(self):
        if self.gpu:
            self.torch.cuda.synchronize(self.device)

    @contextlib.contextmanager
    def track_peak_memory(self):
        reading = MemoryReading()
        if not self.gpu:
            yield reading
            return
        self.synchronize()
        self.torch.cuda.reset_peak_memory_stats(self.device)
        yield reading
        self.synchronize()
        reading.peak_bytes = self.torch.cuda.max_memory_allocated(
            self.device)

    def memory_in_use(self):
        """Bytes allocated by PyTorch's caching allocator (None on the
        CPU)."""
        if not self.gpu:
            return None
        self.synchronize()
        return self.torch.cuda.memory_allocated(self.device)

    def check_value(self, output):
        return float(output.detach().double().abs().sum().item())

    def release_memory(self):
        gc.collect()
        if self.gpu:
            self.torch.cuda.empty_cache()


RUNNERS = {'dynet': DynetRunner, 'torch': TorchRunner}


# --------------------------------------------------------------- cases --

class PreparedCase:
    """What both frameworks share for one case: the configuration, the
    NumPy data, the initial dynet model (built on the CPU) and, when
    PyTorch runs, a copy of its initial state."""

    def __init__(self, case, quick, seed, need_state):
        family = case.family
        self.config = family.config(quick)
        self.batch = case.quick_batch if quick else case.batch
        self.samples_per_step = family.samples_per_step(self.batch,
                                                        self.config)
        self.data = family.make_data(numpy.random.RandomState(seed),
                                     self.batch, self.config)
        numpy.random.seed(seed)  # dynet's initializers draw from it
        self._dynet_model = family.dynet_model(self.config)
        self.state = _gpu_cases.dynet_state(self._dynet_model) \
            if need_state else None

    def take_dynet_model(self):
        """The initial dynet model, handed over once (so that it is freed
        when its run ends)."""
        model, self._dynet_model = self._dynet_model, None
        if model is None:
            raise RuntimeError('the dynet model was already used')
        return model

    def drop_dynet_model(self):
        self._dynet_model = None


def measure(runner, family, prepared, warmup, steps):
    """Builds the framework's model and step, then runs the check steps
    (peak memory measured over them), the warmup and the timed steps.

    Peak memory counts from what was in use before the model was built, so
    that anything left over from earlier cases is not charged to this one.
    """
    baseline = runner.memory_in_use()
    step = runner.build(family, prepared.config, prepared)
    with runner.track_peak_memory() as memory:
        checks = [runner.check_value(step()) for _ in range(CHECK_STEPS)]
    for _ in range(warmup):
        step()
    runner.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    runner.synchronize()
    seconds = time.perf_counter() - start
    return {
        'samples_per_s': prepared.samples_per_step * steps / seconds,
        'ms_per_step': seconds / steps * 1e3,
        'peak_mib': None if memory.peak_bytes is None
        else (memory.peak_bytes - baseline) / MIB,
        'baseline_mib': None if baseline is None else baseline / MIB,
        'memory_drift_bytes': memory.drift_bytes,
        'checks': checks,
        'error': None,
    }


def _error_text(error):
    lines = str(error).strip().splitlines()
    text = '{}: {}'.format(type(error).__name__, lines[0] if lines else '')
    return text if len(text) <= 300 else text[:297] + '...'


def relative_difference(a, b):
    """Largest relative difference between two lists of check values."""
    worst = 0.0
    for x, y in zip(a, b):
        scale = max(abs(x), abs(y), 1e-30)
        worst = max(worst, abs(x - y) / scale)
    return worst


def run_case(case, runners, args):
    row = {'case': case.name, 'model': case.family.title,
           'kind': case.family.kind, 'unit': case.family.unit,
           'batch': case.quick_batch if args.quick else case.batch,
           'results': {}}
    try:
        prepared = PreparedCase(case, args.quick, args.seed,
                                need_state='torch' in runners)
    except Exception as error:
        traceback.print_exc()
        for name in runners:
            row['results'][name] = {'error': 'preparing the case: ' +
                                    _error_text(error)}
        return row
    if 'dynet' not in runners:
        prepared.drop_dynet_model()
    for name, runner in runners.items():
        try:
            row['results'][name] = measure(runner, case.family, prepared,
                                           args.warmup, args.steps)
        except Exception as error:
            print('{} / {}:'.format(case.name, name), file=sys.stderr)
            traceback.print_exc()
            row['results'][name] = {'error': _error_text(error)}
        finally:
            if name == 'dynet':
                prepared.drop_dynet_model()
            try:
                runner.release_memory()
            except Exception:
                print('{} / {}: releasing memory failed:'.format(
                    case.name, name), file=sys.stderr)
                traceback.print_exc()
    results = row['results']
    if all(results.get(name, {}).get('checks') for name in FRAMEWORKS):
        row['check_rel_diff'] = relative_difference(
            results['dynet']['checks'], results['torch']['checks'])
    return row


# ------------------------------------------------------------- header --

def _run_quietly(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True,
                                timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _cuda_version(number):
    """CUDA's integer versions (12040) as text (12.4)."""
    return '{}.{}'.format(number // 1000, number % 1000 // 10)


def environment(args, runners):
    """Facts for the header line: device, versions, precision settings."""
    info = {'date': datetime.datetime.now().strftime('%Y-%m-%d %H:%M'),
            'python': platform.python_version(),
            'numpy': numpy.__version__,
            'dynet_git': _run_quietly(['git', '-C', ROOT, 'rev-parse',
                                       '--short', 'HEAD']) or 'unknown'}
    for runner in runners.values():
        info.update(runner.versions())
    if args.device_kind == 'cpu':
        info['device'] = 'CPU: {} ({} logical cores)'.format(
            cpu_model(), os.cpu_count())
        if 'torch' in runners:
            info['torch_threads'] = runners['torch'].torch.get_num_threads()
        return info
    device_id = args.device_id
    info['cupy_tf32_env'] = os.environ.get('CUPY_TF32', '')
    if 'dynet' in runners:
        cupy = runners['dynet'].cupy
        runtime = cupy.cuda.runtime
        name = runtime.getDeviceProperties(device_id)['name']
        info['gpu'] = name.decode() if isinstance(name, bytes) else name
        info['cuda_driver_api'] = _cuda_version(runtime.driverGetVersion())
        info['cuda_runtime_cupy'] = _cuda_version(runtime.runtimeGetVersion())
    if 'torch' in runners:
        torch = runners['torch'].torch
        info.setdefault('gpu', torch.cuda.get_device_name(device_id))
        info['cuda_runtime_torch'] = torch.version.cuda
        info['cudnn_torch'] = torch.backends.cudnn.version()
        info['cudnn_benchmark_torch'] = torch.backends.cudnn.benchmark
    driver = _run_quietly(['nvidia-smi', '--id={}'.format(device_id),
                           '--query-gpu=driver_version',
                           '--format=csv,noheader'])
    info['nvidia_driver'] = driver or 'unknown'
    return info


def header_lines(info, args):
    parts = [info['date']]
    if args.device_kind == 'cpu':
        parts.append(info['device'])
    else:
        parts.append('GPU: {}'.format(info.get('gpu', 'unknown')))
        driver = 'driver {}'.format(info['nvidia_driver'])
        if 'cuda_driver_api' in info:
            driver += ' (CUDA driver API {})'.format(info['cuda_driver_api'])
        parts.append(driver)
        runtimes = []
        if 'cuda_runtime_cupy' in info:
            runtimes.append('CuPy {}'.format(info['cuda_runtime_cupy']))
        if 'cuda_runtime_torch' in info:
            runtimes.append('PyTorch {}'.format(info['cuda_runtime_torch']))
        parts.append('CUDA runtime: ' + ', '.join(runtimes))
        if 'cudnn_torch' in info:
            parts.append('cuDNN (PyTorch) {}'.format(info['cudnn_torch']))
    if 'cupy' in info:
        parts.append('CuPy {}'.format(info['cupy']))
    if 'torch' in info:
        torch_text = 'PyTorch {}'.format(info['torch'])
        if 'torch_threads' in info:
            torch_text += ' ({} threads)'.format(info['torch_threads'])
        parts.append(torch_text)
    parts += ['NumPy {}'.format(info['numpy']),
              'Python {}'.format(info['python']),
              'dynet {} (git {})'.format(info.get('dynet', '?'),
                                         info['dynet_git'])]
    lines = [' | '.join(parts)]
    if args.device_kind == 'cuda':
        tf32 = info.get('cupy_tf32_env', '')
        cupy_text = 'CuPy without CUPY_TF32' if tf32 in ('', '0') else \
            'WARNING: CUPY_TF32={} lets CuPy use TF32, dynet is NOT strict ' \
            'FP32'.format(tf32)
        precision = ('Precision: FP32 in both frameworks, TF32 off '
                     '(torch.backends.cuda.matmul.allow_tf32=False, '
                     'torch.backends.cudnn.allow_tf32=False; {}).'
                     .format(cupy_text))
        if 'cudnn_benchmark_torch' in info:
            precision += ' torch.backends.cudnn.benchmark={}.'.format(
                info['cudnn_benchmark_torch'])
        lines.append(precision)
    else:
        lines.append('Precision: FP32. Peak memory is not measured on the '
                     'CPU.')
    lines.append('Per case and framework: {} check steps (peak memory is '
                 'measured over them), {} warmup, {} timed step(s){}.'.format(
                     CHECK_STEPS, args.warmup, args.steps,
                     ' (--quick: shrunken models and batches)'
                     if args.quick else ''))
    return lines


# -------------------------------------------------------------- table --

def _number(value, digits=0):
    if value is None:
        return '-'
    if value != 0 and abs(value) < 10 and digits == 0:
        return '{:.2f}'.format(value)
    return '{:.{}f}'.format(value, digits)


def _ratio(a, b):
    return '{:.2f}'.format(a / b) if a is not None and b else '-'


def table_lines(rows, frameworks):
    both = len(frameworks) == 2
    columns = ['case', 'model', 'batch']
    columns += ['{} samples/s'.format(name) for name in frameworks]
    if both:
        columns.append('dynet/torch')
    columns += ['{} peak MiB'.format(name) for name in frameworks]
    if both:
        columns += ['memory dynet/torch', 'check']
    lines = ['| ' + ' | '.join(columns) + ' |',
             '|' + '---|' * len(columns)]
    notes = []
    for row in rows:
        results = row['results']
        speed, memory = {}, {}
        cells = [row['case'], row['model'], str(row['batch'])]
        for name in frameworks:
            result = results[name]
            if result.get('error'):
                notes.append('{} / {}: {}'.format(row['case'], name,
                                                  result['error']))
                cells.append('error')
                continue
            speed[name] = result['samples_per_s']
            memory[name] = result['peak_mib']
            cells.append(_number(speed[name]))
            drift = result.get('memory_drift_bytes')
            if drift:
                notes.append('{} / {}: the memory hook is off by {} bytes '
                             'from the pool count'.format(row['case'], name,
                                                          drift))
        if both:
            cells.append(_ratio(speed.get('dynet'), speed.get('torch')))
        for name in frameworks:
            cells.append('error' if results[name].get('error')
                         else _number(memory.get(name), 1))
        if both:
            cells.append(_ratio(memory.get('dynet'), memory.get('torch')))
            difference = row.get('check_rel_diff')
            if difference is None:
                cells.append('-')
            else:
                verdict = 'ok' if difference <= CHECK_TOLERANCE \
                    else 'MISMATCH'
                cells.append('{} ({:.1e})'.format(verdict, difference))
                if verdict != 'ok':
                    notes.append(
                        '{}: the frameworks disagree (check values dynet {} '
                        'vs torch {})'.format(row['case'],
                                              results['dynet']['checks'],
                                              results['torch']['checks']))
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines.append('')
    lines.append('samples/s: training (or inference) samples per second; '
                 'the LSTM rows count tokens (batch x sequence length).')
    if both:
        lines.append('check: largest relative difference between the '
                     'frameworks of the first {} step outputs (train: loss; '
                     'inference: sum of |class scores|), same initial '
                     'weights and data; ok <= {:g}.'.format(
                         CHECK_STEPS, CHECK_TOLERANCE))
    for note in notes:
        lines.append('- ' + note)
    return lines


# ---------------------------------------------------------------- CLI --

def _parse_device(text):
    if text == 'cpu':
        return 'cpu', None
    if text == 'cuda':
        return 'cuda', 0
    if text.startswith('cuda:') and text[5:].isdigit():
        return 'cuda', int(text[5:])
    raise argparse.ArgumentTypeError(
        "expected 'cuda', 'cuda:N' or 'cpu', got {!r}".format(text))


def _parse_frameworks(text):
    names = [name.strip() for name in text.split(',') if name.strip()]
    unknown = [name for name in names if name not in FRAMEWORKS]
    if not names or unknown or len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(
            'expected a comma-separated subset of {} without repeats, got '
            '{!r}'.format(','.join(FRAMEWORKS), text))
    return names


def select_cases(text):
    """Cases named in ``text`` (comma-separated); a name that is not a
    case's full name is a prefix, such as 'resnet18' or 'vgg16' for every
    batch size."""
    if text is None:
        return list(_gpu_cases.CASES)
    selected = []
    for wanted in (part.strip() for part in text.split(',')):
        matches = [case for case in _gpu_cases.CASES if case.name == wanted]
        if not matches:
            matches = [case for case in _gpu_cases.CASES
                       if case.name.startswith(wanted)]
        if not wanted or not matches:
            raise argparse.ArgumentTypeError(
                'unknown case {!r}; the cases are: {}'.format(
                    wanted, ', '.join(c.name for c in _gpu_cases.CASES)))
        selected += [case for case in matches if case not in selected]
    return selected


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description='dynet vs PyTorch model benchmark (one process, one '
        'device).')
    parser.add_argument('--device', type=_parse_device, default='cuda',
                        help="'cuda', 'cuda:N' or 'cpu' (default: cuda)")
    parser.add_argument('--frameworks', type=_parse_frameworks,
                        default=list(FRAMEWORKS),
                        help='comma-separated: dynet,torch (default both)')
    parser.add_argument('--cases', type=select_cases, default=None,
                        help='comma-separated case names or prefixes '
                        '(default: all; see --list)')
    parser.add_argument('--quick', action='store_true',
                        help='tiny models and batches, 1 timed step, no '
                        'warmup (smoke run)')
    parser.add_argument('--steps', type=int, default=None,
                        help='timed steps per case (default 20, --quick 1)')
    parser.add_argument('--warmup', type=int, default=None,
                        help='untimed steps after the check steps (default '
                        '5, --quick 0)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--json-out', metavar='FILE',
                        help='also write the header facts and all results '
                        'as JSON')
    parser.add_argument('--list', action='store_true',
                        help='list the cases and exit')
    args = parser.parse_args(argv)
    # (argparse passes the string default through type= too.)
    args.device_kind, args.device_id = args.device
    if args.cases is None:
        args.cases = select_cases(None)
    if args.steps is None:
        args.steps = 1 if args.quick else 20
    if args.warmup is None:
        args.warmup = 0 if args.quick else 5
    if args.steps < 1:
        parser.error('--steps must be at least 1, got {}'.format(args.steps))
    if args.warmup < 0:
        parser.error('--warmup must be 0 or more, got {}'.format(
            args.warmup))
    args.parser = parser
    return args


def make_runners(args):
    """One runner per framework, or a clear exit when one cannot run."""
    runners = {}
    for name in args.frameworks:
        try:
            runners[name] = RUNNERS[name](args.device_kind, args.device_id)
        except ImportError as error:
            args.parser.error(
                '--frameworks includes {} but it cannot be imported ({}); '
                'install it or leave it out of --frameworks'.format(
                    name, error))
        except Exception as error:
            args.parser.error('{} cannot use --device {}: {}'.format(
                name, 'cpu' if args.device_kind == 'cpu'
                else 'cuda:{}'.format(args.device_id), _error_text(error)))
    return runners


def write_json(path, payload):
    """Writes ``payload`` to ``path`` atomically."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, suffix='.tmp')
    try:
        with os.fdopen(handle, 'w') as f:
            json.dump(payload, f, indent=1)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def main(argv=None):
    """Runs the benchmark; returns the report (header facts and rows)."""
    args = parse_args(argv)
    if args.list:
        for case in _gpu_cases.CASES:
            print('{:18} {} (batch {})'.format(case.name, case.family.title,
                                               case.batch))
        return None
    runners = make_runners(args)
    info = environment(args, runners)
    rows = []
    for case in args.cases:
        print('running {} ...'.format(case.name), file=sys.stderr,
              flush=True)
        rows.append(run_case(case, runners, args))
    lines = header_lines(info, args) + [''] + \
        table_lines(rows, args.frameworks)
    print('\n'.join(lines))
    report = {'environment': info, 'device': args.device_kind,
              'quick': args.quick, 'steps': args.steps,
              'warmup': args.warmup, 'check_steps': CHECK_STEPS,
              'rows': rows}
    if args.json_out:
        write_json(args.json_out, report)
    return report


if __name__ == '__main__':
    main()
