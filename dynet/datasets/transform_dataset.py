"""TransformDataset: applies a function to each example when read."""
from dynet.dataset.dataset_mixin import DatasetMixin


class TransformDataset(DatasetMixin):
    """``dataset[i]`` is ``transform(base[i])``, computed on each access
    (so random augmentations differ between epochs)."""

    def __init__(self, dataset, transform):
        self._dataset = dataset
        self._transform = transform

    def __len__(self):
        return len(self._dataset)

    def get_example(self, i):
        return self._transform(self._dataset[i])
