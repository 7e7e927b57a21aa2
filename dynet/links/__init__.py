"""dynet.links (``L``): layers with parameters.

Each category package lists its public links in ``__all__``.
"""
from dynet.links.activation import *  # NOQA
from dynet.links.connection import *  # NOQA
from dynet.links.rnn import *  # NOQA
from dynet.links.model import *  # NOQA
from dynet.links.normalization import *  # NOQA
from dynet.links.loss import *  # NOQA


def __getattr__(name):
    # ``dynet.links.caffe`` (the Caffe model reader) loads on first use, so
    # that importing the links does not pay for it.
    if name == 'caffe':
        import importlib
        return importlib.import_module('dynet.links.caffe')
    raise AttributeError('module {!r} has no attribute {!r}'.format(
        __name__, name))
