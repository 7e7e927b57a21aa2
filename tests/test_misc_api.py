"""mixed16, is_arrays_compatible and DeviceResident (dynet._compat_api)."""
import os
import pickle
import subprocess
import sys

import numpy
import pytest

import dynet
from dynet import _compat_api
from dynet._compat_api import (
    DeviceResident, DeviceResidentsVisitor, is_arrays_compatible, mixed16)


def test_exported_from_dynet_when_wired():
    for name in ('mixed16', 'is_arrays_compatible', 'DeviceResident'):
        if hasattr(dynet, name):
            assert getattr(dynet, name) is getattr(_compat_api, name)


# ---------------------------------------------------------------- mixed16
def test_mixed16_sentinel():
    assert repr(mixed16) == "dtype('mixed16')"
    assert numpy.dtype(mixed16) == numpy.float16
    assert pickle.loads(pickle.dumps(mixed16)) is mixed16


def test_get_dtype_in_mixed16_mode():
    with dynet.using_config('dtype', mixed16):
        assert dynet.config.dtype is mixed16
        assert dynet.get_dtype() == numpy.float16
        assert dynet.get_dtype(map_mixed16=numpy.float32) == numpy.float32
        assert dynet.get_dtype(numpy.float64) == numpy.float64
        assert dynet.get_dtype(numpy.float64, map_mixed16=numpy.float32) \
            == numpy.float64
    assert dynet.get_dtype() == numpy.float32
    assert dynet.get_dtype(mixed16) == numpy.float16
    assert dynet.get_dtype(mixed16, map_mixed16=numpy.float32) == \
        numpy.float32


def test_links_in_mixed16_mode():
    # Chainer: parameters follow get_dtype() (float16); batch normalization
    # keeps its parameters and statistics in float32.
    with dynet.using_config('dtype', mixed16):
        linear = dynet.links.Linear(3, 2)
        bn = dynet.links.BatchNormalization(2)
        x = numpy.ones((4, 3), dtype=numpy.float16)
        y = bn(linear(x))
    assert linear.W.dtype == numpy.float16
    assert bn.gamma.dtype == numpy.float32
    assert bn.avg_mean.dtype == numpy.float32
    assert y.dtype == numpy.float16


def test_environment_variable_mixed16():
    env = dict(os.environ, DYNET_DTYPE='mixed16')
    result = subprocess.run(
        [sys.executable, '-c',
         'import dynet; print(dynet.config.dtype is '
         'dynet._compat_api.mixed16)'],
        env=env, capture_output=True, text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if 'must be one of' in result.stderr:
        pytest.skip('dynet/config.py does not read DYNET_DTYPE=mixed16 yet')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == 'True'


# --------------------------------------------------- is_arrays_compatible
class _FakeCupyArray:
    """Recognised as a CuPy array by its module name, as dynet does."""


_FakeCupyArray.__module__ = 'cupy'


def test_is_arrays_compatible():
    a, b = numpy.zeros(2), numpy.ones((3, 1), dtype=numpy.int8)
    gpu = _FakeCupyArray()
    assert is_arrays_compatible([a, b])
    assert is_arrays_compatible((a, None, b))
    assert is_arrays_compatible([])
    assert is_arrays_compatible([None, None])
    assert is_arrays_compatible(x for x in [a, b])
    assert is_arrays_compatible([gpu, None, _FakeCupyArray()])
    assert not is_arrays_compatible([a, gpu])
    assert not is_arrays_compatible([gpu, a])
    assert not is_arrays_compatible([a, 1.0])
    assert not is_arrays_compatible([a, numpy.float32(1)])
    assert not is_arrays_compatible([a, dynet.Variable(a)])


# --------------------------------------------------------- DeviceResident
class _Holder(DeviceResident):

    def __init__(self):
        super().__init__()
        self.data = numpy.arange(3.0)
        self.param = dynet.Parameter(numpy.ones(2, dtype=numpy.float32))

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        self.data = visitor.visit_array(self.data)
        visitor.visit_variable(self.param)


class _Recorder(DeviceResidentsVisitor):

    def __init__(self):
        self.seen = []

    def visit_device_resident(self, device_resident):
        self.seen.append(('resident', device_resident))

    def visit_array(self, arr):
        self.seen.append(('array', arr.shape))
        return arr * 2

    def visit_variable(self, param):
        self.seen.append(('variable', param.shape))


def test_device_resident_on_cpu():
    holder = _Holder()
    assert holder.device == dynet.backend.CpuDevice()
    assert holder.xp is numpy
    data = holder.data
    assert holder.to_device('@numpy') is holder
    assert holder.to_cpu() is holder
    assert holder.data is data   # already there: not copied
    assert holder.from_chx() is holder


def test_visitor_protocol():
    holder = _Holder()
    recorder = _Recorder()
    holder.device_resident_accept(recorder)
    assert recorder.seen == [('resident', holder), ('array', (3,)),
                             ('variable', (2,))]
    numpy.testing.assert_array_equal(holder.data, [0, 2, 4])
    base = DeviceResidentsVisitor()
    for method, arg in ((base.visit_device_resident, holder),
                        (base.visit_array, holder.data),
                        (base.visit_variable, holder.param)):
        with pytest.raises(NotImplementedError):
            method(arg)


def test_subclass_without_init_has_a_device():
    class Bare(DeviceResident):
        def __init__(self):
            pass

    assert Bare().device == dynet.backend.CpuDevice()
    assert Bare().to_cpu().xp is numpy


def test_links_are_device_residents():
    assert isinstance(dynet.links.Linear(2, 3), DeviceResident)
    assert issubclass(dynet.Chain, DeviceResident)
    assert isinstance(dynet.Sequential(), DeviceResident)
    assert not isinstance(dynet.Variable(numpy.zeros(1)), DeviceResident)
    assert not isinstance(numpy.zeros(1), DeviceResident)
    assert not issubclass(int, DeviceResident)


def test_unsupported_devices():
    holder = _Holder()
    with pytest.raises(RuntimeError, match='to_intel64: iDeep'):
        holder.to_intel64()
    with pytest.raises(RuntimeError, match='ChainerX is not available'):
        holder.to_chx()
    with pytest.raises(ValueError, match='must be a GPU number'):
        holder.to_gpu(-1)
    with pytest.raises(ValueError, match='is not a GPU device'):
        holder.to_gpu('@numpy')
    with pytest.raises((ValueError, TypeError)):
        holder.to_device('tpu')


def test_to_gpu_without_cupy():
    if dynet.backend._cupy.cupy_or_none() is not None:
        pytest.skip('CuPy and a GPU are available')
    with pytest.raises(RuntimeError, match='needs CuPy'):
        _Holder().to_gpu()


@dynet.testing.attr.gpu
def test_to_gpu_and_back():
    import cupy
    holder = _Holder().to_gpu(0)
    assert isinstance(holder.data, cupy.ndarray)
    assert isinstance(holder.param.array, cupy.ndarray)
    assert holder.xp is cupy
    holder.to_cpu()
    assert isinstance(holder.data, numpy.ndarray)
    numpy.testing.assert_array_equal(holder.data, [0, 1, 2])


def test_should_use_cudnn_at_the_top_level_is_the_cuda_modules():
    assert dynet.should_use_cudnn('>=auto') is False
    assert dynet.should_use_cudnn('==always', lowest_version=7000) is False
    with pytest.raises(ValueError, match="invalid cuDNN level 'always'"):
        dynet.should_use_cudnn('always')
