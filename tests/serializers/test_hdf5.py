"""HDF5 serializers: Chainer file compatibility (reference files written by
Chainer 7.8.1, see data/make_reference.py), layout, strict, all-or-nothing
loading, damaged files, atomic saving."""
import os
import sys

import numpy
import pytest

import dynet
from dynet import optimizer as optimizer_module
from dynet import serializers

h5py = pytest.importorskip('h5py')

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def data(name):
    return os.path.join(DATA, name)


def weights(offset):
    return {
        'l1/W': (numpy.arange(6, dtype=numpy.float32).reshape(2, 3) - 2.5)
        / 4 + offset,
        'l1/b': numpy.array([0.25, -0.5], numpy.float32) + offset,
        'l2/W': numpy.array([[1.5, -0.75]], numpy.float32) + offset,
        'arr': numpy.arange(4, dtype=numpy.float32) * 1.5 + offset,
    }


class Linear(dynet.Link):
    def __init__(self, n_in, n_out, nobias=False, initialized=True):
        super().__init__()
        with self.init_scope():
            if initialized:
                self.W = dynet.Parameter(
                    numpy.zeros((n_out, n_in), numpy.float32))
            else:
                self.W = dynet.Parameter()
            if not nobias:
                self.b = dynet.Parameter(numpy.zeros(n_out, numpy.float32))


class Net(dynet.Chain):
    def __init__(self, initialized=True):
        super().__init__()
        with self.init_scope():
            self.l1 = Linear(3, 2, initialized=initialized)
            self.l2 = Linear(2, 1, nobias=True)
        self.add_persistent('count', 3)
        self.add_persistent('ratio', 0.5)
        self.add_persistent('nothing', None)
        self.add_persistent('arr', numpy.zeros(4, numpy.float32))
        self.add_persistent('flag', True)
        self.add_persistent('np32', numpy.float32(2.5))


def make_net(offset=1.0):
    net = Net()
    w = weights(offset)
    net.l1.W.array[...] = w['l1/W']
    net.l1.b.array[...] = w['l1/b']
    net.l2.W.array[...] = w['l2/W']
    net.arr[...] = w['arr']
    net.count = 7
    net.ratio = 0.25
    net.nothing = -1
    net.flag = False
    net.np32 = numpy.float32(-1.5)
    return net


def snapshot(net):
    values = {name: param.array.copy()
              for name, param in net.namedparams()}
    for name in ('count', 'ratio', 'nothing', 'flag', 'np32'):
        values[name] = getattr(net, name)
    values['arr'] = net.arr.copy()
    return values


def assert_same(before, after):
    assert before.keys() == after.keys()
    for key in before:
        a, b = before[key], after[key]
        if isinstance(a, numpy.ndarray):
            numpy.testing.assert_array_equal(a, b, err_msg=key)
        else:
            assert a == b and type(a) is type(b), key


def assert_reference_values(net):
    w = weights(0)
    numpy.testing.assert_array_equal(net.l1.W.array, w['l1/W'])
    numpy.testing.assert_array_equal(net.l1.b.array, w['l1/b'])
    numpy.testing.assert_array_equal(net.l2.W.array, w['l2/W'])
    numpy.testing.assert_array_equal(net.arr, w['arr'])
    assert net.count == 3 and type(net.count) is int
    assert net.ratio == 0.5 and type(net.ratio) is float
    assert net.nothing is None
    assert net.flag is True
    assert net.np32 == 2.5 and type(net.np32) is numpy.float32


class MomentsRule(optimizer_module.UpdateRule):
    def init_state(self, param):
        self.state['m'] = numpy.zeros_like(param.array)
        self.state['v'] = numpy.zeros_like(param.array)


class Moments(optimizer_module.GradientMethod):
    def create_update_rule(self):
        return MomentsRule(self.hyperparam)


def layout(path):
    """Every group and dataset: kind, dtype, shape, compression."""
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out[name] = ('dataset', obj.dtype, obj.shape, obj.compression,
                         obj.compression_opts)
        else:
            out[name] = ('group',)

    with h5py.File(path, 'r') as f:
        f.visititems(visit)
    return out


# ---------------------------------------------------------------------------
# Chainer compatibility

def test_load_chainer_model():
    net = make_net()
    serializers.load_hdf5(data('model.h5'), net)
    assert_reference_values(net)


def test_load_into_uninitialized_parameter():
    net = Net(initialized=False)
    serializers.load_hdf5(data('model.h5'), net)
    assert net.l1.W.shape == (2, 3)
    assert_reference_values(net)


def test_load_chainer_optimizer():
    net = make_net()
    optimizer = Moments().setup(net)
    serializers.load_hdf5(data('optimizer.h5'), optimizer)
    assert (optimizer.t, optimizer.epoch) == (1, 1)
    with h5py.File(data('optimizer.h5'), 'r') as f:
        for name, param in net.namedparams():
            rule = param.update_rule
            assert rule.t == 1
            numpy.testing.assert_array_equal(rule.state['m'],
                                             f[name + '/m'][()])
            numpy.testing.assert_array_equal(rule.state['v'],
                                             f[name + '/v'][()])


def test_load_chainer_optimizer_into_dynet_adam():
    optimizers = pytest.importorskip('dynet.optimizers')
    if not hasattr(optimizers, 'Adam'):
        pytest.skip('dynet.optimizers.Adam does not exist yet')
    net = make_net()
    optimizer = optimizers.Adam().setup(net)
    serializers.load_hdf5(data('optimizer.h5'), optimizer)
    assert (optimizer.t, optimizer.epoch) == (1, 1)


def test_saved_model_has_chainer_layout(tmp_path):
    path = str(tmp_path / 'model.h5')
    serializers.save_hdf5(path, Net())
    assert layout(path) == layout(data('model.h5'))
    with h5py.File(path, 'r') as f:
        assert f['nothing'].shape is None  # h5py.Empty, as Chainer
        assert f['l1/W'].compression == 'gzip'
        assert f['count'].compression is None
        assert f['count'].dtype == numpy.int64


def test_saved_optimizer_has_chainer_layout(tmp_path):
    net = make_net()
    optimizer = Moments().setup(net)
    serializers.load_hdf5(data('optimizer.h5'), optimizer)
    path = str(tmp_path / 'opt.h5')
    serializers.save_hdf5(path, optimizer)
    assert layout(path) == layout(data('optimizer.h5'))
    with h5py.File(path, 'r') as ours, \
            h5py.File(data('optimizer.h5'), 'r') as theirs:
        for key in ('t', 'epoch', 'l1/W/t', 'l1/W/m', 'l2/W/v'):
            numpy.testing.assert_array_equal(ours[key][()], theirs[key][()])


def test_compression_level(tmp_path):
    path = str(tmp_path / 'model.h5')
    serializers.save_hdf5(path, Net(), compression=9)
    with h5py.File(path, 'r') as f:
        assert f['l1/W'].compression_opts == 9
        assert f['l2/W'].compression_opts == 9
        assert f['np32'].compression is None


# ---------------------------------------------------------------------------
# Round trips and the serializer objects

def test_round_trip(tmp_path):
    src = make_net(offset=2.0)
    src.nothing = None
    dst = make_net()
    path = tmp_path / 'm.h5'
    serializers.save_hdf5(path, src)
    serializers.load_hdf5(path, dst)
    assert_same(snapshot(src), snapshot(dst))


def test_save_dict(tmp_path):
    path = str(tmp_path / 'd.h5')
    serializers.save_hdf5(path, {'a': numpy.ones(2), 'b/c': 3})
    with h5py.File(path, 'r') as f:
        numpy.testing.assert_array_equal(f['a'][()], [1, 1])
        assert f['b/c'][()] == 3


def test_serializer_groups(tmp_path):
    with h5py.File(str(tmp_path / 'g.h5'), 'w') as f:
        s = serializers.HDF5Serializer(f)
        assert isinstance(s, serializers.Serializer)
        assert s['a'].group.name == '/a'
        assert s['/a/']['c'].group.name == '/a/c'
        value = numpy.arange(3)
        assert s['x']('v', value) is value
        assert s('n', None) is None
        assert s('i', 4) == 4
        d = serializers.HDF5Deserializer(f)
        assert isinstance(d, serializers.Deserializer)
        numpy.testing.assert_array_equal(d['x']('v', None), [0, 1, 2])
        assert d('n', None) is None
        got = d('i', None)
        assert isinstance(got, numpy.ndarray) and got == 4
        assert d('i', 0) == 4


def test_strings_cannot_be_stored(tmp_path):
    path = tmp_path / 's.h5'
    path.write_bytes(b'old')
    net = make_net()
    net.add_persistent('label', 'hello')
    with pytest.raises(TypeError, match="'label'"):
        serializers.save_hdf5(str(path), net)
    # The failed save left the previous file alone and no temporary file.
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['s.h5']


def test_group_deserializer_load(tmp_path):
    path = str(tmp_path / 'nested.h5')
    with h5py.File(path, 'w') as f:
        serializers.HDF5Serializer(f.require_group('model')).save(
            make_net(offset=2.0))
    dst = make_net()
    with h5py.File(path, 'r') as f:
        serializers.HDF5Deserializer(f['model']).load(dst)
    numpy.testing.assert_array_equal(dst.l1.W.array, weights(2)['l1/W'])


# ---------------------------------------------------------------------------
# Errors leave the target unchanged

def _copy_with(tmp_path, drop=(), **changes):
    path = str(tmp_path / 'changed.h5')
    with h5py.File(data('model.h5'), 'r') as src, h5py.File(path, 'w') as dst:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and name not in drop:
                dst.copy(obj, name)
        src.visititems(visit)
        for key, value in changes.items():
            key = key.replace('__', '/')
            if key in dst:
                del dst[key]
            dst[key] = value
    return path


def test_missing_key(tmp_path):
    path = _copy_with(tmp_path, drop=('l2/W',))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(KeyError) as info:
        serializers.load_hdf5(path, net)
    assert "'l2/W'" in str(info.value) and 'changed.h5' in str(info.value)
    assert_same(before, snapshot(net))


def test_missing_group(tmp_path):
    path = _copy_with(tmp_path, drop=('l2/W',))
    with h5py.File(path, 'r') as f:
        assert 'l2' not in f  # the whole group is absent
    net = make_net()
    before = snapshot(net)
    with pytest.raises(KeyError, match="'l2/W'"):
        serializers.load_hdf5(path, net)
    assert_same(before, snapshot(net))
    with h5py.File(path, 'r') as f:
        serializers.HDF5Deserializer(f, strict=False).load(net)
    numpy.testing.assert_array_equal(net.l2.W.array, weights(1)['l2/W'])
    numpy.testing.assert_array_equal(net.l1.W.array, weights(0)['l1/W'])


def test_not_strict(tmp_path):
    path = _copy_with(tmp_path, drop=('count',))
    net = make_net()
    with h5py.File(path, 'r') as f:
        serializers.HDF5Deserializer(f, strict=False).load(net)
    assert net.count == 7
    numpy.testing.assert_array_equal(net.l2.W.array, weights(0)['l2/W'])


def test_shape_mismatch(tmp_path):
    path = _copy_with(tmp_path, l2__W=numpy.zeros((2, 2), numpy.float32))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError) as info:
        serializers.load_hdf5(path, net)
    message = str(info.value)
    assert "'l2/W'" in message and '(2, 2)' in message and '(1, 2)' in message
    assert isinstance(info.value, TypeError)  # what Chainer's hdf5 raises
    assert_same(before, snapshot(net))


def test_dtype_mismatch(tmp_path):
    path = _copy_with(tmp_path, l2__W=numpy.zeros((1, 2), numpy.complex128))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match="'l2/W'.*complex128"):
        serializers.load_hdf5(path, net)
    assert_same(before, snapshot(net))


@pytest.mark.parametrize('fraction', [0.0, 0.05, 0.5, 0.9, 0.99])
def test_truncated_file(tmp_path, fraction):
    good = tmp_path / 'good.h5'
    serializers.save_hdf5(str(good), make_net(offset=5.0))
    content = good.read_bytes()
    path = tmp_path / 'truncated.h5'
    path.write_bytes(content[:int(len(content) * fraction)])
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match='truncated.h5') as info:
        serializers.load_hdf5(str(path), net)
    assert isinstance(info.value, OSError)
    assert_same(before, snapshot(net))


def test_not_an_hdf5_file(tmp_path):
    path = tmp_path / 'junk.h5'
    path.write_bytes(b'junk' * 100)
    with pytest.raises(OSError, match='junk.h5'):
        serializers.load_hdf5(str(path), make_net())


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        serializers.load_hdf5(str(tmp_path / 'absent.h5'), make_net())


# ---------------------------------------------------------------------------
# Atomic save

class Exploding(dynet.Link):
    """Saves a few entries, then fails."""

    def serialize(self, serializer):
        serializer('a', numpy.ones(10))
        serializer('b', 1)
        raise RuntimeError('boom')


def test_failed_save_keeps_old_file(tmp_path):
    path = tmp_path / 'm.h5'
    serializers.save_hdf5(str(path), make_net(offset=2.0))
    old = path.read_bytes()
    with pytest.raises(RuntimeError, match='boom'):
        serializers.save_hdf5(str(path), Exploding())
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ['m.h5']


# ---------------------------------------------------------------------------
# Without h5py

def test_clear_error_without_h5py(monkeypatch):
    monkeypatch.setitem(sys.modules, 'h5py', None)
    with pytest.raises(RuntimeError, match='pip install h5py'):
        serializers.HDF5Serializer(object())
    with pytest.raises(RuntimeError, match='h5py'):
        serializers.load_hdf5('whatever.h5', make_net())


# ---------------------------------------------------------------------------
# GPU

@pytest.mark.gpu
def test_load_into_gpu_arrays():
    cupy = pytest.importorskip('cupy')
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            pytest.skip('no GPU')
    except Exception:
        pytest.skip('no GPU')
    net = make_net()
    net.to_device('@cupy:0')
    serializers.load_hdf5(data('model.h5'), net)
    assert isinstance(net.l1.W.array, cupy.ndarray)
    numpy.testing.assert_array_equal(cupy.asnumpy(net.l1.W.array),
                                     weights(0)['l1/W'])
    numpy.testing.assert_array_equal(cupy.asnumpy(net.arr), weights(0)['arr'])


def test_corrupt_compressed_chunk(tmp_path):
    path = tmp_path / 'corrupt.h5'
    src = make_net(offset=5.0)
    src.l2.W.array[...] = 0  # compresses well: the chunk really is deflated
    serializers.save_hdf5(str(path), src)
    with h5py.File(str(path), 'r') as f:
        info = f['l2/W'].id.get_chunk_info(0)
    content = bytearray(path.read_bytes())
    for i in range(info.byte_offset, info.byte_offset + info.size):
        content[i] ^= 0xFF
    path.write_bytes(bytes(content))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(OSError, match=r"corrupt\.h5.*'l2/W'"):
        serializers.load_hdf5(str(path), net)
    assert_same(before, snapshot(net))
