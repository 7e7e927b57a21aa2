"""Activation links (activations with learnable parameters)."""
from dynet.links.activation.maxout import Maxout  # NOQA
from dynet.links.activation.prelu import PReLU  # NOQA
from dynet.links.activation.simplified_dropconnect import (  # NOQA
    SimplifiedDropconnect)
from dynet.links.activation.swish import Swish  # NOQA

__all__ = ['Maxout', 'PReLU', 'SimplifiedDropconnect', 'Swish']
