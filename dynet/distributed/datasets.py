"""``chainermn.datasets``: the dataset helpers under their ChainerMN
module name."""
from dynet.distributed.scatter import (  # NOQA
    create_empty_dataset, scatter_dataset, scatter_index)

__all__ = ['create_empty_dataset', 'scatter_dataset', 'scatter_index']
