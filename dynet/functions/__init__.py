"""dynet.functions (``F``): differentiable operations on Variables."""
from dynet.functions.activation.relu import relu  # NOQA
from dynet.functions.array.broadcast import broadcast, broadcast_to  # NOQA
from dynet.functions.array.get_item import get_item  # NOQA
from dynet.functions.array.reshape import reshape  # NOQA
from dynet.functions.array.transpose import transpose  # NOQA
from dynet.functions.math.basic_math import absolute, add  # NOQA
from dynet.functions.math.exponential import exp, log  # NOQA
from dynet.functions.math.matmul import matmul  # NOQA
from dynet.functions.math.sum import sum, sum_to  # NOQA

from dynet.functions import _variable_methods

_variable_methods.install()
del _variable_methods
