"""dynet.links (``L``): layers with parameters.

Each category package lists its public links in ``__all__``.
"""
from dynet.links.activation import *  # NOQA
from dynet.links.connection import *  # NOQA
from dynet.links.rnn import *  # NOQA
from dynet.links.model import *  # NOQA
from dynet.links.normalization import *  # NOQA
from dynet.links.loss import *  # NOQA
from dynet.links import caffe  # NOQA
