"""NPZ serializers: Chainer file compatibility (reference files written by
Chainer 7.8.1, see data/make_reference.py), keys, strict/path/ignore_names,
all-or-nothing loading, damaged files, pickle-free reading."""
import io
import os
import pathlib
import pickle
import zipfile

import numpy
import pytest

import dynet
from dynet import optimizer as optimizer_module
from dynet import serializers
from dynet.serializers import npz as npz_module

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def data(name):
    return os.path.join(DATA, name)


# ---------------------------------------------------------------------------
# Models mirroring the Chainer ones of data/make_reference.py

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
    def __init__(self, with_label=True, initialized=True):
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
        if with_label:
            self.add_persistent('label', 'hello')


class Wrapper(dynet.Chain):
    def __init__(self, net):
        super().__init__()
        with self.init_scope():
            self.predictor = net


def make_net(offset=1.0, with_label=True):
    """A Net whose every value differs from the reference files'."""
    net = Net(with_label)
    w = weights(offset)
    net.l1.W.array[...] = w['l1/W']
    net.l1.b.array[...] = w['l1/b']
    net.l2.W.array[...] = w['l2/W']
    net.arr[...] = w['arr']
    net.count = 7
    net.ratio = 0.25
    net.nothing = 'something'
    net.flag = False
    net.np32 = numpy.float32(-1.5)
    if with_label:
        net.label = 'dynet'
    return net


def snapshot(net):
    """Every value of a Net (copies), to check that nothing changed."""
    values = {name: param.array.copy()
              for name, param in net.namedparams()}
    for name in ('count', 'ratio', 'nothing', 'flag', 'np32', 'label'):
        values[name] = getattr(net, name, None)
    values['arr'] = net.arr.copy()
    values['arr_id'] = id(net.arr)
    return values


def assert_same(before, after):
    assert before.keys() == after.keys()
    for key in before:
        a, b = before[key], after[key]
        if isinstance(a, numpy.ndarray):
            numpy.testing.assert_array_equal(a, b, err_msg=key)
        else:
            assert a == b and type(a) is type(b), key


def assert_reference_values(net, with_label=True):
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
    if with_label:
        assert net.label == 'hello' and type(net.label) is str
    assert net.l1.W.dtype == numpy.float32


class MomentsRule(optimizer_module.UpdateRule):
    """An update rule with Adam's state names (m, v); it never updates."""

    def init_state(self, param):
        self.state['m'] = numpy.zeros_like(param.array)
        self.state['v'] = numpy.zeros_like(param.array)


class Moments(optimizer_module.GradientMethod):
    def create_update_rule(self):
        return MomentsRule(self.hyperparam)


def save_npz_bytes(obj, **kwargs):
    buffer = io.BytesIO()
    serializers.save_npz(buffer, obj, **kwargs)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Files written by Chainer load into dynet objects

@pytest.mark.parametrize('name', ['model.npz', 'model_uncompressed.npz'])
def test_load_chainer_model(name):
    net = make_net()
    serializers.load_npz(data(name), net)
    assert_reference_values(net)


def test_load_chainer_model_persistent_array_in_place():
    net = make_net()
    arr = net.arr
    serializers.load_npz(data('model.npz'), net)
    assert net.arr is arr


def test_load_chainer_wrapped_model():
    wrapper = Wrapper(make_net())
    serializers.load_npz(data('wrapped.npz'), wrapper)
    assert_reference_values(wrapper.predictor)


def test_load_with_path_prefix():
    net = make_net()
    serializers.load_npz(data('wrapped.npz'), net, path='predictor/')
    assert_reference_values(net)


def test_path_without_slash_is_a_plain_prefix():
    # As in Chainer: the path is prepended as is ('predictorcount').
    with pytest.raises(KeyError, match='predictorcount'):
        serializers.load_npz(data('wrapped.npz'), make_net(),
                             path='predictor')


def test_load_into_uninitialized_parameter():
    net = Net(initialized=False)
    assert net.l1.W.array is None
    serializers.load_npz(data('model.npz'), net)
    assert net.l1.W.shape == (2, 3)
    assert_reference_values(net)


def test_load_chainer_optimizer_into_fresh_optimizer():
    net = make_net()
    optimizer = Moments().setup(net)
    serializers.load_npz(data('optimizer.npz'), optimizer)
    assert optimizer.t == 1 and optimizer.epoch == 1
    with numpy.load(data('optimizer.npz')) as f:
        for name, param in net.namedparams():
            rule = param.update_rule
            key = name.lstrip('/')
            assert rule.t == 1
            numpy.testing.assert_array_equal(rule.state['m'], f[key + '/m'])
            numpy.testing.assert_array_equal(rule.state['v'], f[key + '/v'])
            assert rule.state['m'].dtype == numpy.float32
    # The model itself is untouched by loading the optimizer.
    numpy.testing.assert_array_equal(net.l1.W.array, weights(1)['l1/W'])


def test_load_chainer_optimizer_into_existing_state():
    net = make_net()
    optimizer = Moments().setup(net)
    for param in net.params():
        param.update_rule._prepare(param)
    state = net.l1.W.update_rule.state['m']
    serializers.load_npz(data('optimizer.npz'), optimizer)
    assert net.l1.W.update_rule.state['m'] is state
    with numpy.load(data('optimizer.npz')) as f:
        numpy.testing.assert_array_equal(state, f['l1/W/m'])


def test_load_chainer_optimizer_into_dynet_adam():
    optimizers = pytest.importorskip('dynet.optimizers')
    if not hasattr(optimizers, 'Adam'):
        pytest.skip('dynet.optimizers.Adam does not exist yet')
    net = make_net()
    optimizer = optimizers.Adam().setup(net)
    serializers.load_npz(data('optimizer.npz'), optimizer)
    assert optimizer.t == 1 and optimizer.epoch == 1
    with numpy.load(data('optimizer.npz')) as f:
        for name, param in net.namedparams():
            key = name.lstrip('/')
            for state_key, value in param.update_rule.state.items():
                numpy.testing.assert_array_equal(
                    value, f[key + '/' + state_key])


# ---------------------------------------------------------------------------
# Files written by dynet have Chainer's layout

def _entries(source):
    with zipfile.ZipFile(source) as archive:
        return {info.filename: (info.compress_type, archive.read(info))
                for info in archive.infolist()}


def _descriptions(source):
    with numpy.load(source, allow_pickle=True) as f:
        return {key: (f[key].dtype, f[key].shape) for key in f.files}


@pytest.mark.parametrize('name,kwargs', [
    ('model.npz', {}),
    ('model_uncompressed.npz', {'compression': False}),
])
def test_saved_model_has_chainer_layout(name, kwargs):
    written = save_npz_bytes(Net(), **kwargs)
    ours = _entries(io.BytesIO(written))
    theirs = _entries(data(name))
    assert sorted(ours) == sorted(theirs)
    assert {k: v[0] for k, v in ours.items()} == \
        {k: v[0] for k, v in theirs.items()}
    assert _descriptions(io.BytesIO(written)) == _descriptions(data(name))
    # None is stored as the very bytes Chainer (NumPy 1.x) writes, which
    # NumPy 1.x can load (a NumPy 2 pickle would name numpy._core).
    assert ours['nothing.npy'][1] == theirs['nothing.npy'][1]


def test_saved_values_match_chainer_file():
    net = make_net()
    serializers.load_npz(data('model.npz'), net)
    written = io.BytesIO(save_npz_bytes(net))
    with numpy.load(written, allow_pickle=True) as ours, \
            numpy.load(data('model.npz'), allow_pickle=True) as theirs:
        for key in theirs.files:
            numpy.testing.assert_array_equal(ours[key], theirs[key])
            assert ours[key].dtype == theirs[key].dtype


def test_saved_optimizer_has_chainer_layout():
    net = make_net()
    optimizer = Moments().setup(net)
    serializers.load_npz(data('optimizer.npz'), optimizer)
    written = io.BytesIO(save_npz_bytes(optimizer))
    assert _descriptions(written) == _descriptions(data('optimizer.npz'))
    written.seek(0)
    with numpy.load(written) as ours, \
            numpy.load(data('optimizer.npz')) as theirs:
        for key in theirs.files:
            numpy.testing.assert_array_equal(ours[key], theirs[key])


def test_saved_wrapped_keys():
    keys = set(_descriptions(io.BytesIO(save_npz_bytes(Wrapper(Net())))))
    assert keys == set(_descriptions(data('wrapped.npz')))
    assert 'predictor/l1/W' in keys


def test_compression_flag():
    net = make_net()
    compressed = _entries(io.BytesIO(save_npz_bytes(net)))
    stored = _entries(io.BytesIO(save_npz_bytes(net, compression=False)))
    assert {c for c, _ in compressed.values()} == {zipfile.ZIP_DEFLATED}
    assert {c for c, _ in stored.values()} == {zipfile.ZIP_STORED}


# ---------------------------------------------------------------------------
# Round trips

def test_round_trip_path(tmp_path):
    src = make_net(offset=2.0)
    dst = make_net()
    path = tmp_path / 'model.npz'
    serializers.save_npz(str(path), src)
    serializers.load_npz(str(path), dst)
    assert_same(
        {k: v for k, v in snapshot(src).items() if k != 'arr_id'},
        {k: v for k, v in snapshot(dst).items() if k != 'arr_id'})


def test_round_trip_pathlib_and_no_suffix_added(tmp_path):
    path = tmp_path / 'snapshot_iter_10'
    serializers.save_npz(path, make_net(offset=2.0))
    assert os.listdir(tmp_path) == ['snapshot_iter_10']
    dst = make_net()
    serializers.load_npz(pathlib.Path(path), dst)
    numpy.testing.assert_array_equal(dst.l1.b.array, weights(2)['l1/b'])


def test_round_trip_file_object():
    buffer = io.BytesIO(b'prefix')
    buffer.seek(6)
    serializers.save_npz(buffer, make_net(offset=2.0))
    end = buffer.tell()
    assert end == len(buffer.getvalue())
    dst = make_net()
    serializers.load_npz(io.BytesIO(buffer.getvalue()[6:]), dst)
    numpy.testing.assert_array_equal(dst.l2.W.array, weights(2)['l2/W'])


def test_round_trip_none_and_scalars():
    src = make_net()
    src.nothing = None
    src.count = 12
    src.flag = True
    dst = make_net()
    buffer = io.BytesIO(save_npz_bytes(src))
    serializers.load_npz(buffer, dst)
    assert dst.nothing is None
    assert dst.count == 12 and type(dst.count) is int
    assert dst.flag is True


def test_optimizer_round_trip():
    src_net = make_net(offset=2.0)
    src = Moments().setup(src_net)
    src.t, src.epoch = 4, 3
    for param in src_net.params():
        param.update_rule._prepare(param)
        param.update_rule.state['m'][...] = 0.5
        param.update_rule.t = 4
    dst_net = make_net()
    dst = Moments().setup(dst_net)
    serializers.load_npz(io.BytesIO(save_npz_bytes(src)), dst)
    assert (dst.t, dst.epoch) == (4, 3)
    rule = dst_net.l2.W.update_rule
    assert rule.t == 4
    numpy.testing.assert_array_equal(rule.state['m'], [[0.5, 0.5]])


def test_save_dict_as_is(tmp_path):
    path = str(tmp_path / 'd.npz')
    serializers.save_npz(path, {'a': numpy.ones(2), 'b/c': 3, 'n': None})
    with numpy.load(path, allow_pickle=True) as f:
        assert sorted(f.files) == ['a', 'b/c', 'n']
        numpy.testing.assert_array_equal(f['a'], [1, 1])
        assert f['b/c'] == 3 and f['b/c'].dtype == numpy.int64
        assert f['n'][()] is None


def test_save_refuses_pickled_objects(tmp_path):
    path = tmp_path / 'x.npz'
    path.write_bytes(b'old')
    with pytest.raises(TypeError, match="'d'.*pickle"):
        serializers.save_npz(str(path), {'a': 1, 'd': {'k': 1}})
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['x.npz']


# ---------------------------------------------------------------------------
# DictionarySerializer / NpzDeserializer

def test_dictionary_serializer_keys():
    s = serializers.DictionarySerializer()
    assert isinstance(s, serializers.Serializer)
    assert isinstance(s, serializers.AbstractSerializer)
    assert s['/a/'].path == 'a/'
    assert s['a']['b'].path == 'a/b/'
    value = numpy.arange(3)
    assert s['a']('/x', value) is value
    assert s('y', None) is None
    assert s('z', 1.5) == 1.5
    assert sorted(s.target) == ['a/x', 'y', 'z']
    assert s.target['y'].dtype == object and s.target['y'][()] is None
    assert s.target['z'].dtype == numpy.float64
    assert s['a'].target is s.target


def test_dictionary_serializer_with_target_and_path():
    target = {}
    s = serializers.DictionarySerializer(target, 'pre/')
    Net().serialize(s)
    assert 'pre/l1/W' in target and 'pre/count' in target


def test_deserializer_from_mapping():
    s = serializers.DictionarySerializer()
    src = make_net(offset=2.0)
    src.nothing = None
    src.serialize(s)
    d = serializers.NpzDeserializer(s.target)
    assert isinstance(d, serializers.Deserializer)
    dst = make_net()
    d.load(dst)
    numpy.testing.assert_array_equal(dst.l1.W.array, weights(2)['l1/W'])
    # value=None returns the stored array, never the mapping's own object.
    got = d('l1/W', None)
    numpy.testing.assert_array_equal(got, s.target['l1/W'])
    assert got is not s.target['l1/W']
    assert d('nothing', None) is None


def test_deserializer_children_share_settings():
    with numpy.load(data('model.npz')) as f:
        d = serializers.NpzDeserializer(f, path='x/', strict=False,
                                        ignore_names='x/l1/W')
        child = d['/l1/']
        assert child.path == 'x/l1/'
        assert child.strict is False
        assert child['W'].path == 'x/l1/W/'


def test_deserializer_value_none_returns_array():
    with numpy.load(data('model.npz')) as f:
        d = serializers.NpzDeserializer(f)
        w = d['l1']('W', None)
        numpy.testing.assert_array_equal(w, weights(0)['l1/W'])
        assert d('count', None) == 3
        assert d('nothing', None) is None


def test_direct_serialize_call_works_without_load():
    with numpy.load(data('model.npz')) as f:
        net = make_net()
        net.serialize(serializers.NpzDeserializer(f))
    assert_reference_values(net)


def test_npzfile_opened_with_pickle_allowed():
    with numpy.load(data('model.npz'), allow_pickle=True) as f:
        net = make_net()
        serializers.NpzDeserializer(f).load(net)
    assert_reference_values(net)


# ---------------------------------------------------------------------------
# strict, ignore_names

def _npz_without(tmp_path, *removed):
    with numpy.load(data('model.npz'), allow_pickle=True) as f:
        entries = {k: f[k] for k in f.files if k not in removed}
    path = str(tmp_path / 'partial.npz')
    serializers.save_npz(path, entries)
    return path


def test_missing_key_names_key_and_file(tmp_path):
    path = _npz_without(tmp_path, 'l2/W')
    net = make_net()
    before = snapshot(net)
    with pytest.raises(KeyError) as info:
        serializers.load_npz(path, net)
    message = str(info.value)
    assert "'l2/W'" in message and 'partial.npz' in message
    assert_same(before, snapshot(net))


def test_missing_key_not_strict(tmp_path):
    path = _npz_without(tmp_path, 'l2/W', 'count')
    net = make_net()
    serializers.load_npz(path, net, strict=False)
    numpy.testing.assert_array_equal(net.l2.W.array, weights(1)['l2/W'])
    assert net.count == 7
    numpy.testing.assert_array_equal(net.l1.W.array, weights(0)['l1/W'])


def test_ignore_names_string():
    net = make_net()
    serializers.load_npz(data('model.npz'), net, ignore_names='l1/W')
    numpy.testing.assert_array_equal(net.l1.W.array, weights(1)['l1/W'])
    numpy.testing.assert_array_equal(net.l1.b.array, weights(0)['l1/b'])


def test_ignore_names_is_the_full_key():
    net = make_net()
    serializers.load_npz(data('model.npz'), net, ignore_names='W')
    numpy.testing.assert_array_equal(net.l1.W.array, weights(0)['l1/W'])


def test_ignore_names_callable_and_list():
    seen = []
    net = make_net()
    serializers.load_npz(
        data('wrapped.npz'), net, path='predictor/',
        ignore_names=['predictor/count',
                      lambda key: seen.append(key) or key.endswith('/W')])
    assert 'predictor/l1/b' in seen and 'predictor/count' not in seen
    assert net.count == 7
    numpy.testing.assert_array_equal(net.l1.W.array, weights(1)['l1/W'])
    numpy.testing.assert_array_equal(net.l1.b.array, weights(0)['l1/b'])


def test_ignored_missing_key_is_fine_when_strict(tmp_path):
    path = _npz_without(tmp_path, 'count')
    net = make_net()
    serializers.load_npz(path, net, ignore_names='count')
    assert net.count == 7


# ---------------------------------------------------------------------------
# Mismatches leave the target unchanged

def _npz_with(tmp_path, **changes):
    with numpy.load(data('model.npz'), allow_pickle=True) as f:
        entries = {k: f[k] for k in f.files}
    entries.update({k.replace('__', '/'): v for k, v in changes.items()})
    path = str(tmp_path / 'changed.npz')
    serializers.save_npz(path, entries)
    return path


def test_shape_mismatch_names_key_and_shapes(tmp_path):
    # l2/W is read last: everything before it would have been loaded by a
    # naive single pass.
    path = _npz_with(tmp_path, l2__W=numpy.zeros((2, 2), numpy.float32))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError) as info:
        serializers.load_npz(path, net)
    message = str(info.value)
    assert "'l2/W'" in message and 'changed.npz' in message
    assert '(2, 2)' in message and '(1, 2)' in message
    assert_same(before, snapshot(net))


def test_broadcastable_shape_is_refused(tmp_path):
    path = _npz_with(tmp_path, l1__b=numpy.zeros((1,), numpy.float32))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match=r"'l1/b'.*\(1,\).*\(2,\)"):
        serializers.load_npz(path, net)
    assert_same(before, snapshot(net))


def test_persistent_array_shape_mismatch(tmp_path):
    path = _npz_with(tmp_path, arr=numpy.zeros(5, numpy.float32))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match="'arr'"):
        serializers.load_npz(path, net)
    assert_same(before, snapshot(net))


def test_float64_is_cast_like_chainer(tmp_path):
    path = _npz_with(tmp_path, l1__W=numpy.full((2, 3), 0.5))
    net = make_net()
    serializers.load_npz(path, net)
    assert net.l1.W.dtype == numpy.float32
    numpy.testing.assert_array_equal(net.l1.W.array, numpy.full((2, 3), 0.5))


def test_dtype_mismatch(tmp_path):
    path = _npz_with(tmp_path, l2__W=numpy.zeros((1, 2), numpy.complex64))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match="'l2/W'.*complex64") as info:
        serializers.load_npz(path, net)
    assert isinstance(info.value, TypeError)  # what Chainer raises
    assert_same(before, snapshot(net))


def test_scalar_type_mismatch(tmp_path):
    path = _npz_with(tmp_path, count=numpy.array(1.5))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(TypeError, match="'count'") as info:
        serializers.load_npz(path, net)
    assert isinstance(info.value, ValueError)
    assert_same(before, snapshot(net))


def test_scalar_conversions_like_chainer(tmp_path):
    path = _npz_with(tmp_path, ratio=numpy.array(2), flag=numpy.array(False),
                     label=numpy.array('abc'),
                     np32=numpy.array(1.25, numpy.float32))
    net = make_net()
    serializers.load_npz(path, net)
    assert net.ratio == 2.0 and type(net.ratio) is float
    assert net.flag is False
    assert net.label == 'abc'
    assert net.np32 == 1.25 and type(net.np32) is numpy.float32


def test_float64_into_numpy_float32_scalar_is_refused(tmp_path):
    # numpy.can_cast(float64, float32) is False: Chainer refuses it too.
    path = _npz_with(tmp_path, np32=numpy.array(1.25))
    with pytest.raises(TypeError, match="'np32'.*float64"):
        serializers.load_npz(path, make_net())


def test_stored_none_into_array_keeps_array(tmp_path):
    path = _npz_with(tmp_path, arr=numpy.array(None))
    net = make_net()
    serializers.load_npz(path, net)
    numpy.testing.assert_array_equal(net.arr, weights(1)['arr'])


def test_scalar_into_previously_none_persistent(tmp_path):
    net = make_net()
    net.nothing = None
    path = _npz_with(tmp_path, nothing=numpy.array(4))
    serializers.load_npz(path, net)
    assert net.nothing == 4  # value None: the stored array is returned


def test_optimizer_failure_leaves_state_unchanged(tmp_path):
    with numpy.load(data('optimizer.npz')) as f:
        entries = {k: f[k] for k in f.files}
    entries['l2/W/v'] = numpy.zeros(3, numpy.float32)
    path = str(tmp_path / 'opt.npz')
    serializers.save_npz(path, entries)
    net = make_net()
    optimizer = Moments().setup(net)
    for param in net.params():
        param.update_rule._prepare(param)
    with pytest.raises(ValueError, match="'l2/W/v'"):
        serializers.load_npz(path, optimizer)
    assert optimizer.t == 0 and optimizer.epoch == 0
    for param in net.params():
        assert param.update_rule.t == 0
        assert not param.update_rule.state['m'].any()


# ---------------------------------------------------------------------------
# Damaged files

def _good_file(tmp_path, compression=True):
    path = tmp_path / 'good.npz'
    serializers.save_npz(str(path), make_net(offset=5.0),
                         compression=compression)
    return path.read_bytes()


@pytest.mark.parametrize('fraction', [0.0, 0.1, 0.5, 0.9, 0.99])
def test_truncated_file(tmp_path, fraction):
    content = _good_file(tmp_path)
    path = tmp_path / 'truncated.npz'
    path.write_bytes(content[:int(len(content) * fraction)])
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match='truncated.npz') as info:
        serializers.load_npz(str(path), net)
    assert isinstance(info.value, OSError)
    assert_same(before, snapshot(net))


@pytest.mark.parametrize('compression', [True, False])
def test_corrupt_entry_data(tmp_path, compression):
    content = bytearray(_good_file(tmp_path, compression))
    # Damage the data of the last entry written (l2/W, read last), keeping
    # the archive's directory intact: the CRC (or inflate) check fails.
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo('l2/W.npy')
    name_length = len(info.filename.encode())
    start = info.header_offset + 30 + name_length
    extra = int.from_bytes(content[info.header_offset + 28:
                                   info.header_offset + 30], 'little')
    start += extra
    end = start + info.compress_size
    for i in range(max(start, end - 8), end):
        content[i] ^= 0xFF
    path = tmp_path / 'corrupt.npz'
    path.write_bytes(bytes(content))
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match=r"corrupt\.npz.*'l2/W'"):
        serializers.load_npz(str(path), net)
    assert_same(before, snapshot(net))


@pytest.mark.parametrize('content', [b'', b'not an npz file at all' * 10])
def test_not_an_npz_file(tmp_path, content):
    path = tmp_path / 'junk.npz'
    path.write_bytes(content)
    with pytest.raises(ValueError, match='junk.npz'):
        serializers.load_npz(str(path), make_net())


def test_npy_file_is_refused(tmp_path):
    path = tmp_path / 'single.npz'
    with open(path, 'wb') as f:
        numpy.save(f, numpy.zeros(3))
    with pytest.raises(ValueError, match='single.npz.*not an NPZ'):
        serializers.load_npz(str(path), make_net())


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        serializers.load_npz(str(tmp_path / 'absent.npz'), make_net())


# ---------------------------------------------------------------------------
# Pickle

_called = []


def _marker(*args):
    _called.append(args)
    return 'called'


class _Evil:
    def __reduce__(self):
        return (_marker, ('pwned',))


def _npz_with_raw_entry(tmp_path, key, array):
    with numpy.load(data('model.npz'), allow_pickle=True) as f:
        entries = {k: f[k] for k in f.files}
    path = tmp_path / 'pickled.npz'
    # numpy.savez pickles object arrays.
    entries[key] = array
    numpy.savez(str(path), **entries)
    return str(path)


def test_pickled_objects_are_never_unpickled(tmp_path):
    evil = numpy.empty((), dtype=object)
    evil[()] = _Evil()
    path = _npz_with_raw_entry(tmp_path, 'nothing', evil)
    net = make_net()
    before = snapshot(net)
    with pytest.raises(ValueError, match="'nothing'.*pickle"):
        serializers.load_npz(path, net)
    assert _called == []
    assert_same(before, snapshot(net))


def test_pickled_plain_objects_are_refused(tmp_path):
    path = _npz_with_raw_entry(
        tmp_path, 'nothing', numpy.array([1, 'a', None], dtype=object))
    with pytest.raises(ValueError, match="'nothing'"):
        serializers.load_npz(path, make_net())


def test_none_written_by_numpy2_pickle_is_read(tmp_path):
    # numpy.savez under NumPy 2 names numpy._core in the pickle.
    path = _npz_with_raw_entry(tmp_path, 'nothing', numpy.array(None))
    net = make_net()
    serializers.load_npz(path, net)
    assert net.nothing is None


def test_none_entry_bytes_load_everywhere():
    payload = npz_module._none_entry()
    loaded = numpy.load(io.BytesIO(payload), allow_pickle=True)
    assert loaded.dtype == object and loaded[()] is None
    assert b'numpy._core' not in payload
    with pytest.raises(ValueError):
        numpy.load(io.BytesIO(payload), allow_pickle=False)


def test_load_npz_uses_allow_pickle_false(monkeypatch):
    calls = []
    original = numpy.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get('allow_pickle'))
        return original(*args, **kwargs)

    monkeypatch.setattr(numpy, 'load', spy)
    serializers.load_npz(data('model.npz'), make_net())
    assert calls == [False]


def test_unpickler_allows_only_array_globals():
    unpickler = npz_module._ArrayOnlyUnpickler(
        io.BytesIO(pickle.dumps(_Evil(), protocol=3)))
    with pytest.raises(pickle.UnpicklingError):
        unpickler.load()
    assert _called == []


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
    serializers.load_npz(data('model.npz'), net)
    assert isinstance(net.l1.W.array, cupy.ndarray)
    numpy.testing.assert_array_equal(cupy.asnumpy(net.l1.W.array),
                                     weights(0)['l1/W'])
    numpy.testing.assert_array_equal(cupy.asnumpy(net.arr), weights(0)['arr'])
    # And back: saving GPU arrays writes NumPy arrays.
    dst = make_net()
    serializers.load_npz(io.BytesIO(save_npz_bytes(net)), dst)
    assert_reference_values(dst)
    # A mismatch on the GPU also leaves everything unchanged.
    net2 = make_net()
    net2.to_device('@cupy:0')
    with numpy.load(data('model.npz'), allow_pickle=True) as f:
        entries = {k: f[k] for k in f.files}
    entries['l2/W'] = numpy.zeros((3, 3), numpy.float32)
    with pytest.raises(ValueError):
        serializers.NpzDeserializer(entries).load(net2)
    numpy.testing.assert_array_equal(cupy.asnumpy(net2.l1.W.array),
                                     weights(1)['l1/W'])
