"""dynet.functions (``F``): differentiable operations on Variables.

Each category package lists its public functions in ``__all__``; they are
all re-exported here so that users write ``F.relu``.
"""
from dynet.functions.activation import *  # NOQA
from dynet.functions.array import *  # NOQA
from dynet.functions.math import *  # NOQA

from dynet.functions import _variable_methods

_variable_methods.install()
del _variable_methods
