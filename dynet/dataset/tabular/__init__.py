"""Tabular datasets (Chainer's ``chainer.dataset.tabular``).

``dynet.dataset.TabularDataset`` is the base class; this package adds
``from_data`` (build one from lists, arrays and functions) and
``DelegateDataset`` (a base for classes wrapping one). The views that
``slice``, ``astuple``, ``asdict``, ``concat``, ``join``, ``transform``,
``transform_batch`` and ``with_converter`` return live in the private
modules.
"""
from dynet.dataset.tabular import _asmode  # NOQA
from dynet.dataset.tabular import _concat  # NOQA
from dynet.dataset.tabular import _join  # NOQA
from dynet.dataset.tabular import _slice  # NOQA
from dynet.dataset.tabular import _transform  # NOQA
from dynet.dataset.tabular import _with_converter  # NOQA

from dynet.dataset.tabular.delegate_dataset import DelegateDataset  # NOQA
from dynet.dataset.tabular.from_data import from_data  # NOQA
