"""Dataset utilities: converters, the dataset mixin, the iterator base."""
from dynet.dataset.convert import (  # NOQA
    Converter, concat_examples, converter, to_device)
from dynet.dataset.dataset_mixin import DatasetMixin  # NOQA
from dynet.dataset.iterator import Iterator  # NOQA
