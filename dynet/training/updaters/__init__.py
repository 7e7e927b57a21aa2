"""Updaters."""
from dynet.training.updaters.standard_updater import StandardUpdater  # NOQA
from dynet.training.updaters.parallel_updater import ParallelUpdater  # NOQA
from dynet.training.updaters.multiprocess_parallel_updater import (  # NOQA
    MultiprocessParallelUpdater)
