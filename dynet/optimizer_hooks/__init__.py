"""Optimizer hooks (``dynet.optimizer_hooks``), with the names of
``chainer.optimizer_hooks``."""
from dynet.optimizer_hooks.gradient_clipping import GradientClipping  # NOQA
from dynet.optimizer_hooks.gradient_hard_clipping import (  # NOQA
    GradientHardClipping)
from dynet.optimizer_hooks.gradient_lars import GradientLARS  # NOQA
from dynet.optimizer_hooks.gradient_noise import (  # NOQA
    GradientNoise, exponential_decay_noise)
from dynet.optimizer_hooks.lasso import Lasso  # NOQA
from dynet.optimizer_hooks.weight_decay import WeightDecay  # NOQA
