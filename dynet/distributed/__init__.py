"""Data-parallel training over MPI: ChainerMN's API (``chainermn.*``).

A program written for ChainerMN runs with ``import dynet.distributed as
chainermn``. Launch it with ``mpiexec -n N python train.py``; every process
(rank) trains the same model on its own share of the data, and the
multi-node optimizer averages the gradients so the models stay identical.

mpi4py is imported only when a communicator is created, never by
``import dynet`` or ``import dynet.distributed``.

See docs/guide/distributed.md.
"""
from dynet.distributed import global_except_hook  # NOQA
from dynet.distributed.checkpointer import (  # NOQA
    create_multi_node_checkpointer)
from dynet.distributed.communicator_base import CommunicatorBase  # NOQA
from dynet.distributed.communicators import create_communicator  # NOQA
from dynet.distributed.multi_node_evaluator import (  # NOQA
    create_multi_node_evaluator)
from dynet.distributed.multi_node_optimizer import (  # NOQA
    create_multi_node_optimizer)
from dynet.distributed.observation_aggregator import (  # NOQA
    ObservationAggregator)
from dynet.distributed.scatter import (  # NOQA
    create_empty_dataset, scatter_dataset, scatter_index)
from dynet.distributed import datasets  # NOQA
from dynet.distributed import extensions  # NOQA

__all__ = ['CommunicatorBase', 'ObservationAggregator',
           'create_communicator', 'create_empty_dataset',
           'create_multi_node_checkpointer', 'create_multi_node_evaluator',
           'create_multi_node_optimizer', 'datasets', 'extensions',
           'global_except_hook', 'scatter_dataset', 'scatter_index']
