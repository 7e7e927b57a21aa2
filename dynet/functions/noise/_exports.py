"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.noise.dropout import dropout  # NOQA
from dynet.functions.noise.gaussian import gaussian  # NOQA
from dynet.functions.noise.gumbel_softmax import gumbel_softmax  # NOQA
from dynet.functions.noise.simplified_dropconnect import simplified_dropconnect  # NOQA
from dynet.functions.noise.zoneout import zoneout  # NOQA

__all__ = ['dropout', 'gaussian', 'gumbel_softmax', 'simplified_dropconnect',
           'zoneout']
