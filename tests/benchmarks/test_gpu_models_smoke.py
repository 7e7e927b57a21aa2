"""Smoke test of benchmarks/gpu_models.py: the dynet side of every case,
shrunken (--quick), on the CPU. Needs neither PyTorch nor a GPU."""
import importlib.util
import json
import os
import sys
import types

import numpy
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BENCHMARKS = os.path.join(ROOT, 'benchmarks')


def _load(name):
    if BENCHMARKS not in sys.path:
        sys.path.insert(0, BENCHMARKS)
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(BENCHMARKS, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def bench():
    return _load('gpu_models')


def test_quick_dynet_run_covers_every_case(bench, tmp_path, capsys):
    out = tmp_path / 'result.json'
    report = bench.main(['--quick', '--frameworks', 'dynet', '--device',
                         'cpu', '--json-out', str(out)])
    names = [case.name for case in bench._gpu_cases.CASES]
    assert [row['case'] for row in report['rows']] == names
    for row in report['rows']:
        result = row['results']['dynet']
        assert result['error'] is None, (row['case'], result['error'])
        assert result['samples_per_s'] > 0
        assert len(result['checks']) == bench.CHECK_STEPS
        assert all(numpy.isfinite(v) and v > 0 for v in result['checks'])
        assert result['peak_mib'] is None      # not measured on the CPU
        assert 'torch' not in row['results']
    printed = capsys.readouterr().out
    assert '| case | model | batch | dynet samples/s | dynet peak MiB |' \
        in printed
    for name in names:
        assert '| {} |'.format(name) in printed
    assert 'error' not in printed
    assert json.loads(out.read_text())['rows'][0]['case'] == names[0]
    assert not [p for p in os.listdir(tmp_path) if p.endswith('.tmp')]


def test_training_steps_lower_the_loss(bench, capsys):
    # Two check steps on the same batch: an update that does something
    # lowers the loss of the second one.
    report = bench.main(['--quick', '--frameworks', 'dynet', '--device',
                         'cpu', '--cases', 'mlp-b100,lstm'])
    for row in report['rows']:
        first, second = row['results']['dynet']['checks']
        assert second < first, row['case']


def test_failing_case_shows_error_and_run_goes_on(bench, monkeypatch,
                                                  capsys):
    family = bench._gpu_cases.LENET_FAMILY

    def broken_step(model, optimizer, data):
        def step():
            raise ValueError('boom in the step')
        return step

    monkeypatch.setattr(family, 'dynet_step', broken_step)
    report = bench.main(['--quick', '--frameworks', 'dynet', '--device',
                         'cpu', '--cases', 'lenet,mlp-b100'])
    lenet, mlp = report['rows']
    assert lenet['results']['dynet']['error'] == 'ValueError: boom in the step'
    assert mlp['results']['dynet']['error'] is None
    printed = capsys.readouterr().out
    assert '| lenet-b64 | LeNet (examples/mnist), SGD | 2 | error | error |' \
        in printed
    assert '- lenet-b64 / dynet: ValueError: boom in the step' in printed


@pytest.mark.parametrize('argv, message', [
    (['--cases', 'nope'], "unknown case 'nope'"),
    (['--frameworks', 'dynet,jax'], 'expected a comma-separated subset'),
    (['--frameworks', 'dynet,dynet'], 'without repeats'),
    (['--device', 'tpu'], "expected 'cuda', 'cuda:N' or 'cpu'"),
    (['--steps', '0'], '--steps must be at least 1'),
    (['--warmup', '-1'], '--warmup must be 0 or more'),
])
def test_bad_arguments_are_rejected(bench, capsys, argv, message):
    with pytest.raises(SystemExit) as raised:
        # the last --frameworks wins
        bench.main(['--frameworks', 'dynet'] + argv)
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_torch_is_a_clear_error(bench, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, 'torch', None)  # import fails
    bench._gpu_cases.torch_modules.cache_clear()
    try:
        with pytest.raises(SystemExit):
            bench.main(['--quick', '--device', 'cpu', '--cases', 'mlp-b100'])
    finally:
        bench._gpu_cases.torch_modules.cache_clear()
    assert '--frameworks includes torch but it cannot be imported' in \
        capsys.readouterr().err


def test_cuda_without_cupy_is_a_clear_error(bench, capsys):
    if importlib.util.find_spec('cupy') is not None:
        pytest.skip('CuPy is installed: --device cuda would really run')
    with pytest.raises(SystemExit):
        bench.main(['--quick', '--frameworks', 'dynet', '--device', 'cuda'])
    assert 'dynet cannot use --device cuda:0' in capsys.readouterr().err


def test_both_frameworks_compute_the_same_numbers(bench, capsys):
    pytest.importorskip('torch')
    report = bench.main(['--quick', '--device', 'cpu', '--cases',
                         'mlp-b100,lenet,convbn,resnet18-b32,lstm,'
                         'vgg16-infer-b1'])
    for row in report['rows']:
        for name in ('dynet', 'torch'):
            assert row['results'][name]['error'] is None, row['case']
        assert row['check_rel_diff'] < 1e-4, row['case']
    assert 'MISMATCH' not in capsys.readouterr().out


def test_case_prefixes_select_every_batch_size(bench):
    names = [case.name for case in bench.select_cases('resnet18,mlp-b100')]
    assert names == ['resnet18-b32', 'resnet18-b256', 'mlp-b100']


def test_relative_difference(bench):
    assert bench.relative_difference([2.0, 4.0], [2.0, 4.0]) == 0
    assert bench.relative_difference([2.0, 4.0], [2.0, 5.0]) == \
        pytest.approx(0.2)


def test_cupy_peak_hook_bookkeeping(bench):
    # A stand-in for cupy's MemoryHook base class and pool, to check the
    # hook's arithmetic without a GPU: peak of (in use at entry + mallocs
    # - frees) on its own device only.
    class FakeMemoryHook:
        def __enter__(self):
            return self

        def __exit__(self, *_):
            pass

    class FakePool:
        def used_bytes(self):
            return 1000

    fake_cupy = types.SimpleNamespace(
        cuda=types.SimpleNamespace(MemoryHook=FakeMemoryHook))
    hook = bench.cupy_peak_hook(fake_cupy, FakePool(), device_id=0)
    with hook:
        hook.malloc_postprocess(device_id=0, size=500, mem_size=512,
                                mem_ptr=1, pmem_id=1)
        hook.malloc_postprocess(device_id=1, size=10 ** 6,
                                mem_size=10 ** 6, mem_ptr=2, pmem_id=2)
        hook.malloc_postprocess(device_id=0, size=10 ** 6,
                                mem_size=10 ** 6, mem_ptr=0, pmem_id=0)
        hook.free_postprocess(device_id=0, mem_size=512, mem_ptr=1,
                              pmem_id=1)
        hook.malloc_postprocess(device_id=0, size=100, mem_size=512,
                                mem_ptr=3, pmem_id=3)
        hook.free_postprocess(device_id=1, mem_size=10 ** 6, mem_ptr=2,
                              pmem_id=2)
    assert hook.tracker.peak == 1512
    assert hook.tracker.current == 1512


def test_lstm_gate_order_for_torch(bench):
    # Row 4k+g of an L.LSTM weight is gate g (a, i, f, o) of unit k;
    # nn.LSTMCell wants blocks of gates in the order i, f, a, o.
    n_units = 3
    gates = 'aifo'
    rows = numpy.array(['{}{}'.format(gates[r % 4], r // 4)
                        for r in range(4 * n_units)])
    reordered = bench._gpu_cases._torch_gate_order(rows)
    assert list(reordered) == ['i0', 'i1', 'i2', 'f0', 'f1', 'f2',
                               'a0', 'a1', 'a2', 'o0', 'o1', 'o2']
    weight = numpy.arange(4 * n_units * 2).reshape(4 * n_units, 2)
    assert bench._gpu_cases._torch_gate_order(weight).shape == weight.shape


def test_torch_keys_of_dynet_parameters(bench):
    key = bench._gpu_cases._torch_key
    assert key('stage1/0/conv1/W') == ('stage1.0.conv1.weight', False)
    assert key('bn1/avg_var') == ('bn1.running_var', False)
    assert key('bn1/N') is None
    assert key('l1/upward/b') == ('l1.bias_ih', True)
    assert key('l1/lateral/W') == ('l1.weight_hh', True)
    with pytest.raises(KeyError, match='no PyTorch name'):
        key('x/unknown')
