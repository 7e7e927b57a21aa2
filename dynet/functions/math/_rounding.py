"""Shared body of the non-differentiable rounding functions (private)."""
from dynet import backend
from dynet.utils import force_array
from dynet.variable import Variable, _is_array


def array_of(x, name):
    """The array of a Variable or array argument ``x`` of function
    ``name`` (a TypeError naming it otherwise)."""
    if isinstance(x, Variable):
        return x.array
    if _is_array(x):
        return x
    raise TypeError('{}: x must be a Variable or an array (numpy.ndarray '
                    'or cupy.ndarray), got {}'.format(name, type(x).__name__))


def unchained(ufunc_name, x, name, keep_dtype=True):
    """``xp.<ufunc_name>(x)`` as a new Variable outside the graph."""
    array = array_of(x, name)
    xp = backend.get_array_module(array)
    y = getattr(xp, ufunc_name)(array)
    return Variable(force_array(y, array.dtype if keep_dtype else None),
                    requires_grad=False)
