"""``astuple()`` and ``asdict()``: the same data in another mode."""
from dynet.dataset.tabular.delegate_dataset import DelegateDataset


class _AsMode(DelegateDataset):

    _mode = None

    @property
    def mode(self):
        return self._mode


class AsTuple(_AsMode):
    """``dataset`` with mode ``tuple``."""
    _mode = tuple


class AsDict(_AsMode):
    """``dataset`` with mode ``dict``."""
    _mode = dict
