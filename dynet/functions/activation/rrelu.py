"""Randomized leaky rectifier."""
from dynet import backend
from dynet.config import config
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.variable import Variable


class RReLU(FunctionNode):
    """``x`` for ``x >= 0``, ``r * x`` otherwise, with per-element slopes
    ``r`` drawn from ``U(lower, upper)`` in training mode."""

    def __init__(self, lower=1. / 8, upper=1. / 3, r=None):
        if not 0.0 <= lower < 1.0:
            raise ValueError('rrelu: l (lower) must be in the range [0, 1), '
                             'got {}'.format(lower))
        if not 0.0 <= upper < 1.0:
            raise ValueError('rrelu: u (upper) must be in the range [0, 1), '
                             'got {}'.format(upper))
        if not lower < upper:
            raise ValueError('rrelu: l must be less than u, got l={} and '
                             'u={}'.format(lower, upper))
        self.lower = lower
        self.upper = upper
        if isinstance(r, Variable):
            r = r.array
        self.r = r

    def _check_inputs(self, in_data):
        _check.count(self, in_data, 1)
        x = in_data[0]
        _check.float_kind(self, 'x', x)
        r = self.r
        if r is not None and config.train:
            _check.same_dtype(self, ('x', 'r'), (x, r))
            _check.same_shape(self, ('x', 'r'), (x, r))

    def forward(self, inputs):
        x = inputs[0]
        xp = backend.get_array_module(x)
        if config.train:
            if self.r is None:
                self.r = xp.random.uniform(
                    self.lower, self.upper, x.shape).astype(x.dtype,
                                                            copy=False)
        else:
            self.r = xp.full(x.shape, (self.lower + self.upper) / 2,
                             dtype=x.dtype)
        nonnegative = x >= x.dtype.type(0)
        # The local slope, kept for backward: 1 or r.
        self._slope = xp.where(nonnegative, x.dtype.type(1), self.r)
        return x * self._slope,

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self._slope,


def rrelu(x, l=1. / 8, u=1. / 3, *, r=None, return_r=False):  # NOQA: E741
    """Randomized leaky ReLU: ``x`` for ``x >= 0`` and ``r * x`` otherwise.

    In training mode (``config.train``) each element has its own slope
    ``r`` drawn from the uniform distribution ``U(l, u)`` (NumPy's or
    CuPy's global generator), unless ``r`` is given. In test mode the
    slope is the mean ``(l + u) / 2`` everywhere (a given ``r`` is
    ignored there, as in Chainer).

    Args:
        x (Variable or array): float16/32/64 input of any shape.
        l (float): lower bound of the slopes, in ``[0, 1)``.
        u (float): upper bound of the slopes, in ``[0, 1)`` and above
            ``l``.
        r (array or None): slopes to use, of ``x``'s shape and dtype.
        return_r (bool): also return the slopes used.
    Returns:
        The output Variable (``x``'s shape and dtype), or the tuple
        ``(output, r)`` when ``return_r`` is True.
    """
    func = RReLU(l, u, r)
    y, = func.apply((x,))
    if return_r:
        return y, func.r
    return y
