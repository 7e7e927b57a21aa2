"""``dynet.cuda`` is ``dynet.backends.cuda`` (Chainer's old alias)."""
import sys

from dynet.backends import cuda as _cuda

sys.modules[__name__] = _cuda
