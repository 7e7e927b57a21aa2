"""Variable methods that are dynet functions (installed at import)."""
from dynet.functions.array import get_item as _get_item
from dynet.functions.array import reshape as _reshape
from dynet.functions.array import transpose as _transpose
from dynet.functions.math import basic_math
from dynet.variable import Variable


def _reshape_method(self, *shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return _reshape.reshape(self, tuple(shape))


def _transpose_method(self, *axes):
    if not axes:
        axes = None
    elif len(axes) == 1 and (axes[0] is None or
                             isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return _transpose.transpose(self, axes)


def _getitem(self, slices):
    return _get_item.get_item(self, slices)


def install():
    basic_math.install_variable_arithmetics()
    Variable.reshape = _reshape_method
    Variable.transpose = _transpose_method
    Variable.T = property(lambda self: _transpose.transpose(self))
    Variable.__getitem__ = _getitem
