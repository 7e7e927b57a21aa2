"""DelegateDataset: a base for TabularDatasets built on another one."""
from dynet.dataset.tabular.tabular_dataset import TabularDataset
from dynet.dataset.tabular.tabular_dataset import check_dataset


class DelegateDataset(TabularDataset):
    """A TabularDataset that forwards everything to ``dataset``.

    Inherit from it to give a dataset built with ``from_data``, ``join``
    and the like a class of its own::

        class MyDataset(tabular.DelegateDataset):
            def __init__(self):
                super().__init__(tabular.from_data((
                    ('a', numpy.arange(10)),
                    ('b', self.get_b))))

            def get_b(self, i):
                return 'b[{}]'.format(i)

    Args:
        dataset (TabularDataset): the underlying dataset.
    """

    def __init__(self, dataset):
        check_dataset(dataset, 'DelegateDataset')
        self.dataset = dataset

    def __len__(self):
        return len(self.dataset)

    @property
    def keys(self):
        return self.dataset.keys

    @property
    def mode(self):
        return self.dataset.mode

    def get_examples(self, indices, key_indices):
        return self.dataset.get_examples(indices, key_indices)

    def convert(self, data):
        return self.dataset.convert(data)
