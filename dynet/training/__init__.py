"""The training stack: Trainer, updaters, extensions and triggers."""
from dynet.training import extension  # NOQA
from dynet.training import extensions  # NOQA
from dynet.training import triggers  # NOQA
from dynet.training import updater  # NOQA
from dynet.training import updaters  # NOQA
from dynet.training.extension import (  # NOQA
    PRIORITY_EDITOR, PRIORITY_READER, PRIORITY_WRITER, Extension,
    make_extension)
from dynet.training.trainer import Trainer  # NOQA
from dynet.training.triggers import get_trigger  # NOQA
from dynet.training.updater import Updater  # NOQA
from dynet.training.updaters import StandardUpdater  # NOQA
from dynet.training.updaters import ParallelUpdater  # NOQA
from dynet.training.updaters import MultiprocessParallelUpdater  # NOQA
