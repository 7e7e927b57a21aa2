"""Variable methods that are dynet functions (installed at import)."""
from dynet.functions.array.get_item import get_item
from dynet.functions.array.reshape import reshape
from dynet.functions.array.transpose import transpose
from dynet.functions.math import basic_math
from dynet.variable import Variable


def _reshape_method(self, *shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return reshape(self, tuple(shape))


def _transpose_method(self, *axes):
    if not axes:
        axes = None
    elif len(axes) == 1 and (axes[0] is None or
                             isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return transpose(self, axes)


def install():
    basic_math.install_variable_arithmetics()
    Variable.reshape = _reshape_method
    Variable.transpose = _transpose_method
    Variable.T = property(lambda self: transpose(self))
    Variable.__getitem__ = get_item
