"""Ready-made link hooks (``chainer.link_hooks``)."""
from dynet.link_hooks.spectral_normalization import (  # NOQA
    SpectralNormalization)
from dynet.link_hooks.timer import TimerHook  # NOQA
from dynet.link_hooks.weight_standardization import (  # NOQA
    WeightStandardization)
