"""``chainermn.extensions``: the trainer extensions under their ChainerMN
module name."""
from dynet.distributed.checkpointer import (  # NOQA
    create_multi_node_checkpointer)
from dynet.distributed.multi_node_evaluator import (  # NOQA
    create_multi_node_evaluator)
from dynet.distributed.observation_aggregator import (  # NOQA
    ObservationAggregator)

__all__ = ['ObservationAggregator', 'create_multi_node_checkpointer',
           'create_multi_node_evaluator']
