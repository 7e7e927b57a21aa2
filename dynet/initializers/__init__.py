"""Initializers: objects that fill parameter arrays."""
from dynet.initializers._base import (  # NOQA
    Initializer, dtype_of, generate_array)
from dynet.initializers.constant import Constant, NaN, One, Zero  # NOQA
