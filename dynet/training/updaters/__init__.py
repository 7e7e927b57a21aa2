"""Updaters."""
from dynet.training.updaters.standard_updater import StandardUpdater  # NOQA
