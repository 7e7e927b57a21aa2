"""Dataset utilities: converters, the dataset mixin, the iterator base."""
from dynet.dataset.convert import (  # NOQA
    ConcatWithAsyncTransfer, Converter, concat_examples, converter, to_device)
from dynet.dataset.dataset_mixin import DatasetMixin  # NOQA
from dynet.dataset.iterator import Iterator  # NOQA
from dynet.dataset.download import (  # NOQA
    cache_or_load_file, cached_download, get_dataset_directory,
    get_dataset_root, set_dataset_root)
from dynet.dataset import tabular  # NOQA
from dynet.dataset.tabular.tabular_dataset import TabularDataset  # NOQA
