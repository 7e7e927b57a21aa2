"""Tests of F.copy. This machine has no GPU: the host-to-host path is
tested here; the GPU paths are marked ``attr.gpu`` (skipped without one).
"""
import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import backend as dynet_backend
from dynet import testing
from dynet import Variable
from dynet.testing import attr
from dynet.testing import backend
from dynet.testing import function_link

_FLOATS = [numpy.float16, numpy.float32, numpy.float64]


@testing.parameterize(*testing.product({
    'shape': [(3, 2), (), (0, 4)],
    'dtype': _FLOATS,
    'dst': [-1, '@numpy', 'device'],
}))
@backend.inject_backend_tests(None, [{}])
class TestCopyToHost(function_link.FunctionTestCase):
    """Host -> host (the GPU paths are the ``attr.gpu`` tests below: the
    declarative test assumes outputs on the input's device)."""

    def setUp(self):
        self.check_forward_options = {'atol': 0, 'rtol': 0}
        if self.dtype == numpy.float16:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}
        else:
            self.check_backward_options = {'atol': 1e-6, 'rtol': 1e-6}
        self.check_double_backward_options = self.check_backward_options

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, self.shape).astype(self.dtype),

    def forward(self, inputs, device):
        dst = dynet_backend.CpuDevice() if self.dst == 'device' else self.dst
        y = F.copy(inputs[0], dst)
        assert isinstance(y.array, numpy.ndarray)
        return y,

    def forward_expected(self, inputs):
        x = inputs[0]
        y = numpy.empty_like(x)
        for index in numpy.ndindex(*x.shape):
            y[index] = x[index]
        return y,


def test_copy_on_the_host_is_a_new_array():
    x = Variable(numpy.arange(3, dtype=numpy.float32))
    y = F.copy(x, -1)
    assert y.array is not x.array
    assert not numpy.shares_memory(y.array, x.array)
    y.array[0] = 10
    assert x.array[0] == 0


def test_copy_gradient_on_the_host():
    x = Variable(numpy.arange(3, dtype=numpy.float32))
    y = F.copy(x, '@numpy')
    y.grad = numpy.array([1, 2, 3], numpy.float32)
    y.backward()
    assert isinstance(x.grad, numpy.ndarray)
    numpy.testing.assert_array_equal(x.grad, [1, 2, 3])


def test_copy_accepts_the_dummy_device():
    from dynet.backends import cuda
    y = F.copy(numpy.ones(2, numpy.float32), cuda.DummyDevice)
    assert isinstance(y.array, numpy.ndarray)


def test_copy_bad_device():
    with pytest.raises(ValueError, match='device'):
        F.copy(numpy.ones(2, numpy.float32), '@nowhere')
    with pytest.raises(TypeError, match='device'):
        F.copy(numpy.ones(2, numpy.float32), 1.5)


@attr.gpu
@pytest.mark.parametrize('dst', [0, '@cupy:0'])
def test_copy_host_to_gpu_and_gradient_back(dst):
    import cupy
    x = Variable(numpy.arange(3, dtype=numpy.float32))
    y = F.copy(x, dst)
    assert isinstance(y.array, cupy.ndarray) and y.array.device.id == 0
    numpy.testing.assert_array_equal(y.array.get(), [0, 1, 2])
    y.grad = cupy.array([1, 2, 3], numpy.float32)
    y.backward()
    assert isinstance(x.grad, numpy.ndarray)
    numpy.testing.assert_array_equal(x.grad, [1, 2, 3])


@attr.gpu
def test_copy_gpu_to_host_and_gradient_back():
    import cupy
    x = Variable(cupy.arange(3, dtype=numpy.float32))
    y = F.copy(x, -1)
    assert isinstance(y.array, numpy.ndarray)
    y.grad = numpy.array([1, 2, 3], numpy.float32)
    y.backward()
    assert isinstance(x.grad, cupy.ndarray)
    numpy.testing.assert_array_equal(x.grad.get(), [1, 2, 3])


@attr.gpu
def test_copy_on_one_gpu_is_a_new_array():
    import cupy
    x = Variable(cupy.arange(3, dtype=numpy.float32))
    y = F.copy(x, 0)
    assert y.array.data.ptr != x.array.data.ptr
    gx, = dynet.grad([F.sum(y * y)], [x])
    numpy.testing.assert_array_equal(gx.array.get(), [0, 2, 4])
