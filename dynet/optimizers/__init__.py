"""Optimizers (``dynet.optimizers``), with the names of
``chainer.optimizers``."""
from dynet.optimizers.ada_delta import AdaDelta, AdaDeltaRule  # NOQA
from dynet.optimizers.ada_grad import AdaGrad, AdaGradRule  # NOQA
from dynet.optimizers.adam import (  # NOQA
    AdaBound, Adam, AdamRule, AdamW, AMSBound, AMSGrad)
from dynet.optimizers.corrected_momentum_sgd import (  # NOQA
    CorrectedMomentumSGD, CorrectedMomentumSGDRule)
from dynet.optimizers.momentum_sgd import MomentumSGD, MomentumSGDRule  # NOQA
from dynet.optimizers.msvag import MSVAG, MSVAGRule  # NOQA
from dynet.optimizers.nesterov_ag import NesterovAG, NesterovAGRule  # NOQA
from dynet.optimizers.rmsprop import RMSprop, RMSpropRule  # NOQA
from dynet.optimizers.rmsprop_graves import (  # NOQA
    RMSpropGraves, RMSpropGravesRule)
from dynet.optimizers.sgd import SGD, SGDRule  # NOQA
from dynet.optimizers.smorms3 import SMORMS3, SMORMS3Rule  # NOQA
