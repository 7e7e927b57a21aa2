"""dynet.testing.save_and_load* (chainer.testing's serializer helpers)."""
import os

import numpy
import pytest

import dynet
from dynet import testing


class Net(dynet.Chain):
    def __init__(self, value):
        super().__init__()
        with self.init_scope():
            self.child = dynet.Link()
            with self.child.init_scope():
                self.child.W = dynet.Parameter(
                    numpy.full((2, 3), value, numpy.float32))
        self.add_persistent('count', int(value))


def test_exported():
    from dynet.testing import serializer
    assert testing.save_and_load is serializer.save_and_load
    assert testing.save_and_load_npz is serializer.save_and_load_npz
    assert testing.save_and_load_hdf5 is serializer.save_and_load_hdf5


def test_save_and_load_npz():
    src, dst = Net(2.0), Net(0.0)
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.child.W.array, src.child.W.array)
    assert dst.count == 2


def test_save_and_load_hdf5():
    pytest.importorskip('h5py')
    src, dst = Net(5.0), Net(0.0)
    testing.save_and_load_hdf5(src, dst)
    numpy.testing.assert_array_equal(dst.child.W.array, src.child.W.array)
    assert dst.count == 5


def test_save_and_load_uses_a_temporary_file():
    calls = []

    def saver(path, obj):
        calls.append(('save', path, obj))
        with open(path, 'w') as f:
            f.write('saved')

    def loader(path, obj):
        with open(path) as f:
            calls.append(('load', path, obj, f.read()))

    src, dst = object(), object()
    testing.save_and_load(src, dst, 'name.ext', saver, loader)
    (_, saved_path, saved_obj), (_, loaded_path, loaded_obj, text) = calls
    assert saved_obj is src and loaded_obj is dst
    assert saved_path == loaded_path
    assert os.path.basename(saved_path) == 'name.ext'
    assert text == 'saved'
    assert not os.path.exists(saved_path)
    assert not os.path.exists(os.path.dirname(saved_path))


def test_save_and_load_cleans_up_on_error():
    paths = []

    def saver(path, obj):
        paths.append(path)
        open(path, 'w').close()
        raise RuntimeError('boom')

    with pytest.raises(RuntimeError):
        testing.save_and_load(None, None, 'f', saver, None)
    assert not os.path.exists(os.path.dirname(paths[0]))
