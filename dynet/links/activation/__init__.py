"""Activation links (activations with learnable parameters)."""
from dynet.links.activation.maxout import Maxout  # NOQA
from dynet.links.activation.prelu import PReLU  # NOQA
from dynet.links.activation.swish import Swish  # NOQA

__all__ = ['Maxout', 'PReLU', 'Swish']
