"""dynet.functions (``F``): differentiable operations on Variables.

Each category package lists its public functions in ``__all__``; they are
all re-exported here so that users write ``F.relu``.
"""
from dynet.functions.activation import *  # NOQA
from dynet.functions.array import *  # NOQA
from dynet.functions.connection import *  # NOQA
from dynet.functions.evaluation import *  # NOQA
from dynet.functions.loss import *  # NOQA
from dynet.functions.math import *  # NOQA
from dynet.functions.noise import *  # NOQA
from dynet.functions.normalization import *  # NOQA
from dynet.functions.pooling import *  # NOQA
from dynet.functions.rnn import *  # NOQA
from dynet.functions.util import *  # NOQA

from dynet.functions import _variable_methods

_variable_methods.install()
del _variable_methods
