"""Optimizers (``dynet.optimizers``)."""
from dynet.optimizers.sgd import SGD, SGDRule  # NOQA
