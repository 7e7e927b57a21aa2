import numpy
import pytest

import dynet
from dynet import backend
from dynet.backend import _cupy


def test_get_device_specs():
    cpu = backend.CpuDevice()
    for spec in ('@numpy', -1, numpy, cpu):
        device = backend.get_device(spec)
        assert device == cpu and device.xp is numpy
        assert device.name == '@numpy' and str(device) == '@numpy'


@pytest.mark.parametrize('spec', ['numpy', '@cupy:x', '@tpu', ''])
def test_get_device_bad_string(spec):
    with pytest.raises(ValueError, match='invalid device specifier'):
        backend.get_device(spec)


@pytest.mark.parametrize('spec', [1.5, None, True, object()])
def test_get_device_bad_type(spec):
    with pytest.raises(TypeError, match='device_spec must be'):
        backend.get_device(spec)


def test_gpu_specs_without_cupy_fail_clearly():
    if _cupy.cupy_or_none() is not None:
        pytest.skip('a GPU is present')
    for spec in (0, '@cupy:0', '@cupy'):
        with pytest.raises(RuntimeError, match='needs CuPy'):
            backend.get_device(spec)


def test_get_array_module():
    x = numpy.ones(2)
    assert backend.get_array_module(x) is numpy
    assert backend.get_array_module(dynet.Variable(x)) is numpy
    assert backend.get_array_module(1, None) is numpy
    assert dynet.backend.get_device_from_array(x) == backend.CpuDevice()
    assert backend.get_device_from_array(dynet.Variable(x)).xp is numpy


def test_send_nested():
    cpu = backend.CpuDevice()
    x = numpy.ones(2)
    out = cpu.send({'a': (x, [x]), 'b': None})
    assert out['a'][0] is x and out['a'][1][0] is x and out['b'] is None
    assert isinstance(cpu.send(numpy.float32(3)), numpy.ndarray)
    with pytest.raises(TypeError, match='CpuDevice.send'):
        cpu.send('text')


def test_to_device_moves_variables_in_place():
    v = dynet.Variable(numpy.ones(2, numpy.float32))
    out = backend.to_device('@numpy', [v, (numpy.zeros(1),)])
    assert out[0] is v
    assert backend.to_device(None, v) is v


def test_copyto():
    dst = numpy.zeros(3)
    backend.copyto(dst, numpy.arange(3.0))
    numpy.testing.assert_array_equal(dst, [0, 1, 2])
    with pytest.raises(TypeError, match='dst must be'):
        backend.copyto([0, 0], numpy.zeros(2))


def test_using_device_and_context():
    with dynet.using_device('@numpy') as device:
        assert device.xp is numpy
    with backend.CpuDevice() as device:
        assert device.name == '@numpy'


def test_import_does_not_load_cupy():
    import subprocess
    import sys
    code = ('import sys, dynet, dynet.functions; '
            'print("cupy" in sys.modules, "matplotlib" in sys.modules)')
    result = subprocess.run([sys.executable, '-c', code], text=True,
                            capture_output=True, check=True)
    assert result.stdout.split() == ['False', 'False']


@pytest.mark.gpu
class TestGpu:

    @pytest.fixture(autouse=True)
    def need_gpu(self):
        if _cupy.cupy_or_none() is None:
            pytest.skip('CuPy and a GPU are not available')

    def test_round_trip(self):
        import cupy
        device = backend.get_device('@cupy:0')
        x = numpy.arange(3, dtype=numpy.float32)
        y = device.send(x)
        assert isinstance(y, cupy.ndarray) and device.xp is cupy
        assert backend.get_array_module(y) is cupy
        assert backend.get_device_from_array(y) == device
        numpy.testing.assert_array_equal(backend.CpuDevice().send(y), x)

    def test_variable_to_gpu_and_mixed_devices_error(self):
        v = dynet.Variable(numpy.ones(2, numpy.float32))
        v.to_gpu()
        assert v.device.name == '@cupy:0'
        with pytest.raises(ValueError, match='one device'):
            v + dynet.Variable(numpy.ones(2, numpy.float32))
