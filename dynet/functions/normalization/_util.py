"""Helpers shared by the normalization functions (private).

The central piece is ``Standardize``: ``x_hat = (x - mean) * inv_std`` with
the statistics taken over some axes, as a differentiable node whose
backward is written with dynet functions (so it is differentiable again,
to any order). Layer and group normalization are built on it, and the
double backward of batch normalization uses it to get ``x_hat`` and
``inv_std`` as differentiable functions of ``x``.
"""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode


class Named:
    """Stands in for a node where a wrapper checks its arguments before any
    node exists (``_check`` helpers only read ``label``)."""

    def __init__(self, label):
        self.label = label


class AxisError(ValueError, RuntimeError):
    """A bad ``axis`` argument. Chainer raises RuntimeError here; deriving
    from ValueError too lets ``except ValueError`` catch it as well."""


def parse_kwargs(func_name, kwargs, defaults, removed=None):
    """The values of ``defaults`` (``(name, default)`` pairs) taken from
    ``kwargs``: a name in ``removed`` raises ValueError with its message,
    any other unknown name TypeError (as Chainer's ``parse_kwargs``)."""
    for name, message in (removed or {}).items():
        if name in kwargs:
            raise ValueError('{}: {}'.format(func_name, message))
    known = {name for name, _ in defaults}
    unknown = sorted(k for k in kwargs if k not in known)
    if unknown:
        raise TypeError('{}() got unexpected keyword argument(s) {}'.format(
            func_name, ', '.join(repr(k) for k in unknown)))
    return tuple(kwargs.get(name, default) for name, default in defaults)


TRAIN_REMOVED = {'train': 'train argument is not supported anymore. Use '
                          'chainer.using_config'}


def stat_dtype(*dtypes):
    """The dtype statistics are computed in: the promotion of ``dtypes``,
    and at least float32 (float16 inputs get float32 statistics)."""
    return numpy.result_type(numpy.float32, *dtypes)


def reduced_size(shape, axes):
    size = 1
    for a in axes:
        size *= shape[a]
    return size


def kept_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def moments(x, axes, dtype):
    """``(x - mean, mean, var)`` of ``x`` over ``axes`` in ``dtype``, the
    statistics with the reduced axes kept (length 1). Two passes: the
    variance is the mean of the squared deviations (as ``numpy.var``).
    With nothing to reduce, the statistics are NaN (without warnings)."""
    xp = backend.get_array_module(x)
    if reduced_size(x.shape, axes) == 0:
        shape = kept_shape(x.shape, axes)
        nan = xp.full(shape, numpy.nan, dtype=dtype)
        return x.astype(dtype), nan, nan.copy()
    mean = x.mean(axis=axes, dtype=dtype, keepdims=True)
    xc = x.astype(dtype, copy=False) - mean
    var = xp.square(xc).mean(axis=axes, keepdims=True)
    return xc, mean, var


def inv_std_of(var, eps):
    """``1 / sqrt(var + eps)`` in ``var``'s dtype."""
    xp = backend.get_array_module(var)
    return xp.reciprocal(xp.sqrt(var + var.dtype.type(eps)))


def to_dtype(v, dtype):
    """Variable ``v`` cast (differentiably) to ``dtype`` when it differs."""
    if v is None or v.dtype == dtype:
        return v
    from dynet.functions.array.cast import cast
    return cast(v, dtype)


class Standardize(FunctionNode):
    """``(x_hat, inv_std)`` of ``x`` over ``axes``.

    ``x_hat = (x - mean) * inv_std`` and ``inv_std = (var + eps) ** -1/2``
    (``inv_std`` has the reduced axes kept with length 1); both outputs
    have ``x``'s dtype, the statistics are computed in at least float32.
    ``stats`` (``(mean, inv_std)`` with kept axes) skips recomputing them:
    backward re-applies the node to ``x`` with the stored statistics to get
    ``x_hat`` and ``inv_std`` as differentiable functions of ``x``.
    """

    def __init__(self, axes, eps, stats=None):
        self.axes = tuple(axes)
        self.eps = eps
        self.stats = stats

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        dtype = stat_dtype(x.dtype)
        if self.stats is None:
            xc, mean, var = moments(x, self.axes, dtype)
            inv_std = inv_std_of(var, self.eps)
            self.stats = (mean, inv_std)
        else:
            mean, inv_std = self.stats
            xc = x.astype(dtype, copy=False) - mean
        xc *= inv_std
        return (xc.astype(x.dtype, copy=False),
                inv_std.astype(x.dtype))

    def backward(self, indexes, grad_outputs):
        from dynet.functions.math.average import mean
        from dynet.variable import Variable
        g_xhat, g_inv_std = grad_outputs
        x, = self.get_retained_inputs()
        axes = self.axes
        m = reduced_size(x.shape, axes)
        if m == 0:
            xp = backend.get_array_module(x.array)
            return Variable(xp.zeros(x.shape, x.dtype)),
        # Computed in the statistics dtype: for float16, inv_std ** 2 alone
        # may overflow.
        dtype = stat_dtype(x.dtype)
        x_hat, inv_std = Standardize(axes, self.eps, self.stats).apply(
            (to_dtype(x, dtype),))
        g_xhat = to_dtype(g_xhat, dtype)
        g_inv_std = to_dtype(g_inv_std, dtype)
        gx = None
        if g_xhat is not None:
            # d x_hat / d x projects out the mean and the x_hat direction.
            centered = g_xhat - mean(g_xhat, axis=axes, keepdims=True) - \
                x_hat * mean(g_xhat * x_hat, axis=axes, keepdims=True)
            gx = inv_std * centered
        if g_inv_std is not None:
            # d inv_std / d x = -inv_std ** 2 * x_hat / m
            term = x_hat * (inv_std * inv_std * g_inv_std * (-1.0 / m))
            gx = term if gx is None else gx + term
        return to_dtype(gx, x.dtype),


def standardize(x, axes, eps):
    """``x_hat`` of ``x`` over ``axes`` (a Variable)."""
    return Standardize(axes, eps).apply((x,))[0]
