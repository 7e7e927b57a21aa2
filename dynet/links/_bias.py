"""The bias parameter of the connection links."""
from dynet import initializers
from dynet.variable import Parameter


def bias_parameter(nobias, initial_bias, size=None):
    """None with ``nobias``; else a Parameter initialized by
    ``initial_bias`` (0 when None) of ``size`` (None: shaped later)."""
    if nobias:
        return None
    if initial_bias is None:
        initial_bias = 0
    return Parameter(initializers._get_initializer(initial_bias), size)
