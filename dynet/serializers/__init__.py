"""Saving and loading Links, Optimizers and other objects
(``chainer.serializers``).

NPZ (``save_npz``/``load_npz``) and HDF5 (``save_hdf5``/``load_hdf5``,
needs h5py) files are compatible with Chainer's both ways. Saving to a path
is atomic, and loading validates everything before it modifies the target.
"""
from dynet.serializers.base import (  # NOQA
    AbstractSerializer, Deserializer, Serializer)
from dynet.serializers.hdf5 import (  # NOQA
    HDF5Deserializer, HDF5Serializer, load_hdf5, save_hdf5)
from dynet.serializers.npz import (  # NOQA
    DictionarySerializer, NpzDeserializer, load_npz, save_npz)
