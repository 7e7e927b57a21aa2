"""Copy between devices (host and GPUs)."""
from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check


class Copy(FunctionNode):

    def __init__(self, in_device, out_device):
        self.in_device = in_device
        self.out_device = out_device

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)

    def forward(self, inputs):
        x = inputs[0]
        if self.out_device.is_array_supported(x):
            # Same device: still a copy, never the input array itself.
            with self.out_device:
                return x.copy(),
        return self.out_device.send_array(x),

    def backward(self, indexes, grad_outputs):
        return Copy(self.out_device, self.in_device).apply(grad_outputs)


def _is_dummy_device(dst):
    # ``dynet.backends.cuda.DummyDevice`` (Chainer's "no GPU" device, id -1)
    # means the host; recognised without importing the CUDA module.
    return type(dst).__name__ == 'DummyDeviceType'


def copy(x, dst):
    """Copies ``x`` to the device ``dst``; the gradient is copied back to
    the device ``x`` lives on.

    Args:
        x: Variable or array (NumPy or CuPy).
        dst: a device specifier: a ``Device``, ``'@numpy'``, ``'@cupy:N'``,
            an int (``-1`` for the host, ``N >= 0`` for GPU ``N``), a
            ``cupy.cuda.Device`` or ``cuda.DummyDevice`` (the host).
    Returns:
        Variable holding a new array (a copy even when ``dst`` is the
        device ``x`` is on) of the same shape and dtype.
    """
    if _is_dummy_device(dst):
        dst = '@numpy'
    array = x.array if hasattr(x, 'array') else x
    in_device = backend.get_device_from_array(array)
    out_device = backend.get_device(dst)
    return Copy(in_device, out_device).apply((x,))[0]
