"""Array manipulation functions."""
from dynet.functions.array.broadcast import broadcast, broadcast_to  # NOQA
from dynet.functions.array.get_item import get_item  # NOQA
from dynet.functions.array.reshape import reshape  # NOQA
from dynet.functions.array.transpose import transpose  # NOQA

__all__ = ['broadcast', 'broadcast_to', 'get_item', 'reshape', 'transpose']
