"""Round-trip helpers for testing ``serialize`` methods
(``chainer.testing.save_and_load*``)."""
import os
import tempfile

__all__ = ['save_and_load', 'save_and_load_npz', 'save_and_load_hdf5']


def save_and_load(src, dst, filename, saver, loader):
    """Saves ``src`` with ``saver`` and loads the file into ``dst`` with
    ``loader``, in a temporary directory removed afterwards.

    Args:
        src: the object to save.
        dst: the object to load into.
        filename (str): the file's name inside the temporary directory.
        saver (callable): ``saver(path, src)`` writes the file.
        loader (callable): ``loader(path, dst)`` reads it.
    """
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, filename)
        saver(path, src)
        loader(path, dst)


def save_and_load_npz(src, dst):
    """``save_and_load`` through an NPZ file (``save_npz``/``load_npz``).
    """
    from dynet import serializers
    save_and_load(src, dst, 'tmp.npz', serializers.save_npz,
                  serializers.load_npz)


def save_and_load_hdf5(src, dst):
    """``save_and_load`` through an HDF5 file (``save_hdf5``/``load_hdf5``;
    needs h5py)."""
    from dynet import serializers
    save_and_load(src, dst, 'tmp.h5', serializers.save_hdf5,
                  serializers.load_hdf5)
