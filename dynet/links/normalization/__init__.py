"""Normalization links."""
from dynet.links.normalization.batch_normalization import (  # NOQA
    BatchNormalization)
from dynet.links.normalization.batch_renormalization import (  # NOQA
    BatchRenormalization)
from dynet.links.normalization.decorrelated_batch_normalization import (  # NOQA
    DecorrelatedBatchNormalization)
from dynet.links.normalization.group_normalization import (  # NOQA
    GroupNormalization)
from dynet.links.normalization.layer_normalization import (  # NOQA
    LayerNormalization)

__all__ = ['BatchNormalization', 'BatchRenormalization',
           'DecorrelatedBatchNormalization', 'GroupNormalization',
           'LayerNormalization']
