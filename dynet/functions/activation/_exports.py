"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.activation.clipped_relu import clipped_relu  # NOQA
from dynet.functions.activation.clipped_relu import relu6  # NOQA
from dynet.functions.activation.crelu import crelu  # NOQA
from dynet.functions.activation.elu import elu  # NOQA
from dynet.functions.activation.gelu import gelu  # NOQA
from dynet.functions.activation.hard_sigmoid import hard_sigmoid  # NOQA
from dynet.functions.activation.leaky_relu import leaky_relu  # NOQA
from dynet.functions.activation.log_softmax import log_softmax  # NOQA
from dynet.functions.activation.maxout import maxout  # NOQA
from dynet.functions.activation.prelu import prelu  # NOQA
from dynet.functions.activation.relu import relu  # NOQA
from dynet.functions.activation.rrelu import rrelu  # NOQA
from dynet.functions.activation.selu import selu  # NOQA
from dynet.functions.activation.sigmoid import sigmoid  # NOQA
from dynet.functions.activation.softmax import softmax  # NOQA
from dynet.functions.activation.softplus import softplus  # NOQA
from dynet.functions.activation.swish import swish  # NOQA
from dynet.functions.activation.tanh import tanh  # NOQA

__all__ = ['clipped_relu', 'crelu', 'elu', 'gelu', 'hard_sigmoid',
           'leaky_relu', 'log_softmax', 'maxout', 'prelu', 'relu', 'relu6',
           'rrelu', 'selu', 'sigmoid', 'softmax', 'softplus', 'swish',
           'tanh']
