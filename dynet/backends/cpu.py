"""The host backend (NumPy), as ``chainer.backends.cpu``."""
from dynet.backend import CpuDevice  # NOQA
