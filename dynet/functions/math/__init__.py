"""Mathematical functions.

The public names are listed in two export modules so that elementwise and
reduction/linear-algebra functions can grow independently.
"""
from dynet.functions.math._exports_elementwise import *  # NOQA
from dynet.functions.math._exports_reduction import *  # NOQA
from dynet.functions.math import _exports_elementwise, _exports_reduction

__all__ = _exports_elementwise.__all__ + _exports_reduction.__all__
