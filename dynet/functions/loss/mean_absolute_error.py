"""Mean absolute error ``sum(|x0 - x1|) / x0.size``."""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.loss import _util


class MeanAbsoluteError(FunctionNode):

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 2)
        _check.float_kind(self, 'x0', in_data[0])
        _util.same_dtype_and_shape(self, ('x0', 'x1'), in_data)

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x0, x1 = inputs
        xp = backend.get_array_module(x0)
        diff = (x0 - x1).astype(_util.work_dtype(x0.dtype), copy=False)
        # size 0 gives NaN (0 / 0), as in Chainer.
        with numpy.errstate(invalid='ignore', divide='ignore'):
            loss = abs(diff).sum() / diff.dtype.type(diff.size)
        return xp.asarray(loss, dtype=x0.dtype),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.inputs[0].data, self.inputs[1].data
        xp = backend.get_array_module(x0)
        sign = xp.sign(x0 - x1)
        gx0 = grad_outputs[0] * (1.0 / max(x0.size, 1)) * sign
        return gx0, -gx0


def mean_absolute_error(x0, x1):
    """Mean absolute error ``sum(|x0 - x1|) / N`` with ``N = x0.size``.

    Args:
        x0, x1: Variables or arrays of one float dtype (float16/32/64) and
            one shape.
    Returns:
        0-dim Variable of that dtype (accumulated in float32 at least).
        NaN for empty inputs. Both inputs get gradients
        (``gy * sign(x0 - x1) / N``; 0 where ``x0 == x1``).
    """
    return MeanAbsoluteError().apply((x0, x1))[0]
