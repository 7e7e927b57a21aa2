"""Local response normalization across neighbouring channels (AlexNet,
Caffe's ACROSS_CHANNELS LRN in Chainer's parameterization)."""
import numbers

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.normalization import _util


def _window_sum(x, half):
    """``out[:, i] = sum(x[:, j] for |j - i| <= half)`` (channels outside
    the array count as zero)."""
    out = x.copy()
    for i in range(1, half + 1):
        out[:, i:] += x[:, :-i]
        out[:, :-i] += x[:, i:]
    return out


class WindowSum(FunctionNode):
    """The channel-window sum; a symmetric linear map, so its backward is
    itself."""

    def __init__(self, half):
        self.half = half

    def forward(self, inputs):
        return _window_sum(inputs[0], self.half),

    def backward(self, indexes, grad_outputs):
        return WindowSum(self.half).apply(grad_outputs)


class LocalResponseNormalization(FunctionNode):

    def __init__(self, n, k, alpha, beta):
        self.n = n
        self.k = k
        self.alpha = alpha
        self.beta = beta

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        _check.float_kind(self, 'x', in_data[0])
        _check.ndim_at_least(self, 'x', in_data[0], 2)

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        xp = backend.get_array_module(x)
        dtype = _util.stat_dtype(x.dtype)
        xw = x.astype(dtype, copy=False)
        scale = _window_sum(xp.square(xw), self.n // 2)
        scale *= dtype.type(self.alpha)
        scale += dtype.type(self.k)
        scale **= dtype.type(-self.beta)
        scale *= xw
        return scale.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        # With S = k + alpha W(x^2) (W: the window sum) and y = x S^-beta:
        # gx = gy S^-beta - 2 alpha beta x W(gy y / S), written with dynet
        # functions so that it is differentiable again.
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        dtype = _util.stat_dtype(x.dtype)
        xw = _util.to_dtype(x, dtype)
        g = _util.to_dtype(gy, dtype)
        half = self.n // 2
        unit_scale = WindowSum(half).apply((xw * xw,))[0] * self.alpha + \
            self.k
        scale = unit_scale ** -self.beta
        summed = WindowSum(half).apply(
            (g * xw * scale / unit_scale,))[0]
        gx = g * scale - xw * summed * (2 * self.alpha * self.beta)
        return _util.to_dtype(gx, x.dtype),


def local_response_normalization(x, n=5, k=2, alpha=1e-4, beta=.75):
    """Local response normalization across neighbouring channels.

    For channel ``i`` of ``C`` (axis 1)::

        y[:, i] = x[:, i] / (k + alpha * S[:, i]) ** beta
        S[:, i] = sum(x[:, j] ** 2 for j in range(max(0, i - n // 2),
                                                  min(C, i + n // 2 + 1)))

    This is Chainer's formula: ``alpha`` multiplies the plain sum (Caffe
    and cuDNN divide by the window size ``n`` instead, so Caffe's
    ``alpha`` corresponds to ``alpha / n`` here), and the window is
    ``i - n // 2 .. i + n // 2`` (``n + 1`` channels when ``n`` is even).

    Args:
        x: Variable or array (float16/32/64) of at least 2 dimensions;
            float16 is computed in float32.
        n (int): the window width (a positive integer).
        k (float): the additive constant.
        alpha (float): the scale of the sum of squares.
        beta (float): the exponent.
    Returns:
        Variable of ``x``'s shape and dtype; differentiable to any order
        (Chainer itself provides only the first derivative).
    """
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
        raise ValueError('local_response_normalization: n must be a '
                         'positive integer, got {!r}'.format(n))
    return LocalResponseNormalization(int(n), k, alpha, beta).apply((x,))[0]
