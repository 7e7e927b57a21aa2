import collections
import os
import subprocess
import sys
import textwrap

import numpy
import pytest

import dynet
from dynet.backends import cuda

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

no_cuda = pytest.mark.skipif(cuda.available,
                             reason='tests the behaviour without CUDA')


# --------------------------------------------------------------- importing

def test_import_dynet_stays_light():
    code = textwrap.dedent('''
        import sys, time
        start = time.perf_counter()
        import dynet
        elapsed = time.perf_counter() - start
        heavy = sorted(m for m in sys.modules
                       if m.split('.')[0] in ('cupy', 'cupyx', 'matplotlib'))
        import dynet.backends
        heavy_after_backends = sorted(
            m for m in sys.modules if m.split('.')[0] in ('cupy', 'cupyx'))
        import dynet.function_hooks
        heavy_after_hooks = sorted(
            m for m in sys.modules if m.split('.')[0] in ('cupy', 'cupyx'))
        print(repr((heavy, heavy_after_backends, heavy_after_hooks)))
        print('import dynet took {:.1f} ms'.format(elapsed * 1000))
    ''')
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO_ROOT + os.pathsep + env.get('PYTHONPATH', '')
    result = subprocess.run([sys.executable, '-c', code], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == repr(([], [], []))
    print(lines[1])  # shown with pytest -s


def test_dynet_cuda_alias():
    assert dynet.cuda is cuda
    assert dynet.backends.cuda is cuda
    assert dynet.backends.cpu.CpuDevice is dynet.backend.CpuDevice
    with pytest.raises(AttributeError):
        dynet.backends.no_such_backend


# ------------------------------------------------------ without CuPy / GPU

@no_cuda
def test_flags_without_cuda():
    assert cuda.available is False
    assert cuda.cupy is None
    assert cuda.cudnn_enabled is False
    assert cuda.Device is cuda.DummyDeviceType


@no_cuda
def test_check_cuda_available_raises():
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.check_cuda_available()


@no_cuda
def test_ndarray_stand_in_matches_nothing():
    for obj in (numpy.zeros(2), 1.0, None, [], dynet.Variable(numpy.ones(1))):
        assert not isinstance(obj, cuda.ndarray)
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.ndarray((2,))


@no_cuda
@pytest.mark.parametrize('array', [
    numpy.zeros(3), None, [numpy.zeros(1)], (numpy.zeros(1), None)])
def test_to_gpu_raises_clearly(array):
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.to_gpu(array)


@no_cuda
def test_gpu_only_functions_raise_clearly():
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.get_device_from_id(0)
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.copy(numpy.zeros(2))
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.elementwise('T x', 'T y', 'y = x', 'copy_kernel')
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.reduce('T x', 'T y', 'x', 'a + b', 'y = a', '0', 'sum_kernel')
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.raw('extern "C" __global__ void f() {}', 'f')
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.Event()


@no_cuda
def test_fuse_returns_a_working_function():
    def squared_diff(x, y):
        return (x - y) * (x - y)

    fused = cuda.fuse(squared_diff)
    x, y = numpy.array([1.0, 2.0]), numpy.array([3.0, 5.0])
    numpy.testing.assert_array_equal(fused(x, y), [4.0, 9.0])

    @cuda.fuse(kernel_name='scaled')
    def scaled(x):
        return x * 3

    numpy.testing.assert_array_equal(scaled(x), [3.0, 6.0])


@no_cuda
def test_cuda_memory_profile_hook_needs_cupy():
    with pytest.raises(RuntimeError, match='CupyMemoryProfileHook needs CuPy'):
        dynet.function_hooks.CupyMemoryProfileHook()


# ---------------------------------------------------- host-side behaviour

def test_to_cpu_passes_numpy_arrays_through():
    x = numpy.arange(6).reshape(2, 3)
    assert cuda.to_cpu(x) is x
    view = x[:, 1]
    assert cuda.to_cpu(view) is view


def test_to_cpu_none_scalars_and_containers():
    x, y = numpy.zeros(2), numpy.ones(3)
    assert cuda.to_cpu(None) is None
    scalar = cuda.to_cpu(numpy.float32(2.5))
    assert isinstance(scalar, numpy.ndarray) and scalar.shape == () \
        and scalar.dtype == numpy.float32 and scalar == 2.5
    assert cuda.to_cpu(3).dtype.kind == 'i' and cuda.to_cpu(3) == 3
    out = cuda.to_cpu([x, None, (y, [x])])
    assert isinstance(out, list) and isinstance(out[2], tuple)
    assert out[0] is x and out[1] is None
    assert out[2][0] is y and out[2][1][0] is x
    assert cuda.to_cpu(()) == () and cuda.to_cpu([]) == []
    Pair = collections.namedtuple('Pair', 'a b')
    pair = cuda.to_cpu(Pair(x, None))
    assert type(pair) is Pair and pair.a is x and pair.b is None


@pytest.mark.parametrize('bad', ['text', object(), {'a': 1}])
def test_to_cpu_rejects_other_types(bad):
    with pytest.raises(TypeError, match='to_cpu'):
        cuda.to_cpu(bad)


def test_get_array_module_is_numpy_for_host_data():
    x = numpy.zeros(2)
    assert cuda.get_array_module(x) is numpy
    assert cuda.get_array_module(dynet.Variable(x)) is numpy
    assert cuda.get_array_module(1, None, x) is numpy
    assert cuda.get_array_module() is numpy


def test_dummy_device():
    device = cuda.DummyDevice
    assert isinstance(device, cuda.DummyDeviceType)
    assert device.id == -1 and int(device) == -1
    with device as entered:
        assert entered is device
    assert device.use() is None and device.synchronize() is None
    assert device == cuda.DummyDeviceType() and not device != device
    assert device != 0
    assert len({device, cuda.DummyDeviceType()}) == 1


def test_device_lookup_on_host():
    assert cuda.get_device_from_id(None) is cuda.DummyDevice
    assert cuda.get_device_from_id(-1) is cuda.DummyDevice
    assert cuda.get_device_from_array(numpy.zeros(2)) is cuda.DummyDevice
    assert cuda.get_device_from_array() is cuda.DummyDevice
    assert cuda.get_device_from_array(None, 1.0) is cuda.DummyDevice
    with pytest.raises(TypeError):
        cuda.get_device_from_id('0')
    with pytest.deprecated_call():
        assert cuda.get_device(numpy.zeros(1), -1) is cuda.DummyDevice


def test_memoize_caches_until_cleared():
    calls = []

    @cuda.memoize()
    def square(x, offset=0):
        calls.append(x)
        return x * x + offset

    assert square(3) == 9 and square(3) == 9
    assert square(3, offset=1) == 10
    assert calls == [3, 3]
    array = numpy.array([2, 3])  # unhashable: not cached, still computed
    numpy.testing.assert_array_equal(square(array), [4, 9])
    numpy.testing.assert_array_equal(square(array), [4, 9])
    assert len(calls) == 4
    cuda.clear_memo()
    assert square(3) == 9
    assert len(calls) == 5 and calls[-1] == 3
    assert square.__name__ == 'square'


def test_cudnn_queries():
    assert cuda.should_use_cudnn('>=auto') is False
    assert cuda.should_use_cudnn('==always') is False
    with pytest.raises(ValueError):
        cuda.should_use_cudnn('auto')
    assert cuda.should_use_cudnn_tensor_core(numpy.float16) is False
    size = cuda.get_max_workspace_size()
    try:
        cuda.set_max_workspace_size(1024)
        assert cuda.get_max_workspace_size() == 1024
        with pytest.raises(ValueError):
            cuda.set_max_workspace_size(-1)
    finally:
        cuda.set_max_workspace_size(size)


# --------------------------------------------------------------- with a GPU

@pytest.mark.gpu
def test_gpu_round_trip():
    cupy = pytest.importorskip('cupy')
    if not cuda.available:
        pytest.skip('CuPy is installed but no GPU is usable')
    x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    gx = cuda.to_gpu(x)
    assert isinstance(gx, cupy.ndarray) and isinstance(gx, cuda.ndarray)
    assert cuda.to_gpu(gx) is gx
    assert cuda.get_array_module(gx) is cupy
    assert cuda.get_device_from_array(gx).id == gx.device.id
    back = cuda.to_cpu(gx)
    assert isinstance(back, numpy.ndarray)
    numpy.testing.assert_array_equal(back, x)
    pair = cuda.to_gpu([x, None])
    assert isinstance(pair[0], cupy.ndarray) and pair[1] is None
    copied = cuda.copy(gx)
    assert copied is not gx
    numpy.testing.assert_array_equal(cuda.to_cpu(copied), x)
    with cuda.get_device_from_id(0):
        assert cupy.cuda.Device().id == 0


@pytest.mark.gpu
def test_gpu_kernels_and_fuse():
    cupy = pytest.importorskip('cupy')
    if not cuda.available:
        pytest.skip('CuPy is installed but no GPU is usable')
    kernel = cuda.elementwise('T x', 'T y', 'y = x * 2', 'dynet_double')
    assert cuda.elementwise('T x', 'T y', 'y = x * 2',
                            'dynet_double') is kernel
    x = cupy.arange(4, dtype=cupy.float32)
    numpy.testing.assert_array_equal(cuda.to_cpu(kernel(x)), [0, 2, 4, 6])
    total = cuda.reduce('T x', 'T y', 'x', 'a + b', 'y = a', '0',
                        'dynet_sum')
    assert float(total(x)) == 6.0

    @cuda.fuse()
    def add_one(a):
        return a + 1

    numpy.testing.assert_array_equal(cuda.to_cpu(add_one(x)), [1, 2, 3, 4])


@pytest.mark.gpu
def test_gpu_hooks():
    cupy = pytest.importorskip('cupy')
    if not cuda.available:
        pytest.skip('CuPy is installed but no GPU is usable')
    import dynet.functions as F
    x = dynet.Variable(cupy.ones((64, 64), dtype=cupy.float32))
    timer = dynet.function_hooks.TimerHook()
    memory = dynet.function_hooks.CupyMemoryProfileHook()
    with timer, memory:
        y = F.sum(F.exp(x))
        y.backward()
    assert timer.summary()['Exp']['occurrence'] == 2
    assert timer.total_time() > 0
    summary = memory.summary()
    assert summary['Exp']['occurrence'] == 2
    assert summary['Exp']['used_bytes'] >= 64 * 64 * 4
    assert memory.total_used_bytes() > 0
