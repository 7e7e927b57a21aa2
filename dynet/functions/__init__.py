"""dynet.functions (``F``): differentiable operations on Variables.

Each category lists its public functions in an ``_exports`` module; they
are all re-exported here so that users write ``F.relu``. The category
packages themselves stay empty, so that ``dynet.functions.activation.relu``
is the module (as in Chainer), not the function.
"""
from dynet.functions.activation._exports import *  # NOQA
from dynet.functions.array._exports import *  # NOQA
from dynet.functions.connection._exports import *  # NOQA
from dynet.functions.evaluation._exports import *  # NOQA
from dynet.functions.loss._exports import *  # NOQA
from dynet.functions.math._exports_elementwise import *  # NOQA
from dynet.functions.math._exports_reduction import *  # NOQA
from dynet.functions.noise._exports import *  # NOQA
from dynet.functions.normalization._exports import *  # NOQA
from dynet.functions.pooling._exports import *  # NOQA
from dynet.functions.rnn._exports import *  # NOQA
from dynet.functions.util._exports import *  # NOQA

from dynet.functions import _variable_methods

_variable_methods.install()
del _variable_methods
