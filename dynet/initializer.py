"""``dynet.initializer``: Chainer's module of the initializer base class."""
from dynet.initializers._base import Initializer, get_fans  # NOQA
