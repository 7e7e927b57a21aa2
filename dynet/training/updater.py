"""The updater interface the trainer drives."""


class Updater:
    """Base class of updaters: ``update()`` does one iteration."""

    def connect_trainer(self, trainer):
        """Called by the Trainer it is attached to."""

    def finalize(self):
        """Releases resources at the end of training."""

    def get_optimizer(self, name):
        raise NotImplementedError

    def get_all_optimizers(self):
        raise NotImplementedError

    def update(self):
        raise NotImplementedError

    def serialize(self, serializer):
        raise NotImplementedError
