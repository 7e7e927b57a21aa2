"""Datasets. The bundled real MNIST sample is in ``mnist_sample``.

Dataset wrappers (TupleDataset, SubDataset, ...), image file datasets and
loaders of standard datasets (``get_mnist`` and friends). The loaders
download into the cache described in ``dynet.dataset.download``.
"""
from dynet.datasets.concatenated_dataset import ConcatenatedDataset  # NOQA
from dynet.datasets.dict_dataset import DictDataset  # NOQA
from dynet.datasets.directory_parsing_label_dataset import (  # NOQA
    DirectoryParsingLabelDataset, ImageFolderDataset,
    directory_parsing_label_names)
from dynet.datasets.image_dataset import (  # NOQA
    ImageDataset, LabeledImageDataset, LabeledZippedImageDataset,
    MultiZippedImageDataset, ZippedImageDataset)
from dynet.datasets.pickle_dataset import (  # NOQA
    PickleDataset, PickleDatasetWriter, open_pickle_dataset,
    open_pickle_dataset_writer)
from dynet.datasets.sub_dataset import (  # NOQA
    SubDataset, get_cross_validation_datasets,
    get_cross_validation_datasets_random, split_dataset,
    split_dataset_n, split_dataset_n_random, split_dataset_random)
from dynet.datasets.text_dataset import TextDataset  # NOQA
from dynet.datasets.transform_dataset import TransformDataset  # NOQA
from dynet.datasets.tuple_dataset import TupleDataset  # NOQA

from dynet.datasets.cifar import get_cifar10, get_cifar100  # NOQA
from dynet.datasets.fashion_mnist import (  # NOQA
    get_fashion_mnist, get_fashion_mnist_labels)
from dynet.datasets.kuzushiji_mnist import (  # NOQA
    get_kuzushiji_mnist, get_kuzushiji_mnist_labels)
from dynet.datasets.mnist import get_mnist  # NOQA
from dynet.datasets.ptb import (  # NOQA
    get_ptb_words, get_ptb_words_vocabulary)
from dynet.datasets.svhn import get_svhn  # NOQA
