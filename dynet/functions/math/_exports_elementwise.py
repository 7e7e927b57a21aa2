"""Public elementwise math functions (re-exported by ``math``)."""
from dynet.functions.math.basic_math import absolute, add  # NOQA
from dynet.functions.math.bias import bias  # NOQA
from dynet.functions.math.ceil import ceil  # NOQA
from dynet.functions.math.clip import clip  # NOQA
from dynet.functions.math.digamma import digamma  # NOQA
from dynet.functions.math.erf import erf  # NOQA
from dynet.functions.math.erfc import erfc  # NOQA
from dynet.functions.math.erfcinv import erfcinv  # NOQA
from dynet.functions.math.erfcx import erfcx  # NOQA
from dynet.functions.math.erfinv import erfinv  # NOQA
from dynet.functions.math.exponential import (  # NOQA
    exp, expm1, log, log10, log1p, log2)
from dynet.functions.math.fix import fix  # NOQA
from dynet.functions.math.floor import floor  # NOQA
from dynet.functions.math.fmod import fmod  # NOQA
from dynet.functions.math.hyperbolic import cosh, sinh  # NOQA
from dynet.functions.math.hypot import hypot  # NOQA
from dynet.functions.math.identity import identity  # NOQA
from dynet.functions.math.lgamma import lgamma  # NOQA
from dynet.functions.math.linear_interpolate import linear_interpolate  # NOQA
from dynet.functions.math.log_ndtr import log_ndtr  # NOQA
from dynet.functions.math.maximum import maximum  # NOQA
from dynet.functions.math.minimum import minimum  # NOQA
from dynet.functions.math.ndtr import ndtr  # NOQA
from dynet.functions.math.ndtri import ndtri  # NOQA
from dynet.functions.math.polygamma import polygamma  # NOQA
from dynet.functions.math.scale import scale  # NOQA
from dynet.functions.math.sign import sign  # NOQA
from dynet.functions.math.sqrt import rsqrt, sqrt  # NOQA
from dynet.functions.math.square import square  # NOQA
from dynet.functions.math.squared_difference import squared_difference  # NOQA
from dynet.functions.math.trigonometric import (  # NOQA
    arccos, arcsin, arctan, arctan2, cos, sin, tan)
from dynet.functions.math.zeta import zeta  # NOQA

__all__ = [
    'absolute', 'add', 'arccos', 'arcsin', 'arctan', 'arctan2', 'bias',
    'ceil', 'clip', 'cos', 'cosh', 'digamma', 'erf', 'erfc', 'erfcinv',
    'erfcx', 'erfinv', 'exp', 'expm1', 'fix', 'floor', 'fmod', 'hypot',
    'identity', 'lgamma', 'linear_interpolate', 'log', 'log10', 'log1p',
    'log2', 'log_ndtr', 'maximum', 'minimum', 'ndtr', 'ndtri', 'polygamma',
    'rsqrt', 'scale', 'sign', 'sin', 'sinh', 'sqrt', 'square',
    'squared_difference', 'tan', 'zeta',
]
