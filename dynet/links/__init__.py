"""dynet.links (``L``): layers with parameters.

Each category package lists its public links in ``__all__``.
"""
from dynet.links.connection import *  # NOQA
from dynet.links.model import *  # NOQA
