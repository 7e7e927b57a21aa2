"""Unsupported layers, ``disable``, bad calls and malformed files."""
import os
import warnings

import numpy
import pytest

from dynet.links.caffe import CaffeFunction
from dynet.links.caffe import _wire
from dynet.links.caffe import writer

DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')
LENET = os.path.join(DATA_DIR, 'lenet.caffemodel')


def layer(name, type_name, bottom, top=None, **fields):
    fields.update(name=name, type=type_name, bottom=bottom,
                  top=name if top is None else top)
    return fields


def _load_with_warning(caffe, layers, match, format='layer'):
    with pytest.warns(UserWarning, match=match):
        return caffe.load(layers, format=format)


# ------------------------------------------------------ unsupported layers
def test_unsupported_layer_warns_and_raises_only_when_needed(caffe):
    layers = [
        layer('relu', 'ReLU', 'x'),
        layer('odd', 'FancyNorm', 'relu'),
        layer('prob', 'Softmax', 'odd'),
        layer('other', 'Sigmoid', 'x'),
    ]
    func = _load_with_warning(caffe, layers,
                              "'odd' of type 'FancyNorm' is not supported")
    x = caffe.uniform((2, 3), 0)
    # Outputs that do not depend on the layer are computed.
    relu, other = func(inputs={'x': x}, outputs=['relu', 'other'])
    numpy.testing.assert_array_equal(relu.array, numpy.maximum(x, 0))
    for blob in ('odd', 'prob'):
        with pytest.raises(NotImplementedError,
                           match="blob '{}'.*layer 'odd' of type "
                                 "'FancyNorm'.*disable=\\['odd'\\]"
                                 .format(blob)):
            func(inputs={'x': x}, outputs=[blob])


def test_unsupported_in_place_layer_never_gives_a_stale_value(caffe):
    # Skipping an in-place layer silently would leave the blob holding
    # its input; the loader refuses instead.
    layers = [layer('relu', 'ReLU', 'x', top='h'),
              layer('odd', 'Mystery', 'h', top='h'),
              layer('prob', 'Softmax', 'h')]
    func = _load_with_warning(caffe, layers, 'Mystery')
    x = caffe.uniform((2, 3), 0)
    with pytest.raises(NotImplementedError, match="layer 'odd'"):
        func(inputs={'x': x}, outputs=['h'])
    with pytest.raises(NotImplementedError, match="layer 'odd'"):
        func(inputs={'x': x}, outputs=['prob'])
    # Disabled, it is skipped: the blob keeps the ReLU's value.
    h, prob = func(inputs={'x': x}, outputs=['h', 'prob'], disable=['odd'])
    numpy.testing.assert_array_equal(h.array, numpy.maximum(x, 0))
    assert prob.shape == (2, 3)


def test_a_layer_that_recomputes_a_tainted_blob_clears_it(caffe):
    layers = [layer('odd', 'Mystery', 'x', top='h'),
              layer('redo', 'ReLU', 'x', top='h')]
    func = _load_with_warning(caffe, layers, 'Mystery')
    h, = func(inputs={'x': numpy.ones((1, 2), 'f')}, outputs=['h'])
    numpy.testing.assert_array_equal(h.array, [[1, 1]])


def test_unsupported_source_layers_yield_to_given_inputs(caffe):
    # e.g. a Python data layer: the blobs given as inputs are used, the
    # others it would produce cannot be computed.
    layers = [layer('input', 'Python', [], top=['data', 'label']),
              layer('relu', 'ReLU', 'data'),
              layer('both', 'Eltwise', ['data', 'label'])]
    func = _load_with_warning(caffe, layers, "'input' of type 'Python'")
    x = numpy.ones((1, 2), 'f')
    relu, = func(inputs={'data': x}, outputs=['relu'])
    numpy.testing.assert_array_equal(relu.array, x)
    with pytest.raises(NotImplementedError, match="layer 'input'"):
        func(inputs={'data': x}, outputs=['both'])
    both, = func(inputs={'data': x, 'label': x}, outputs=['both'])
    numpy.testing.assert_array_equal(both.array, 2 * x)


@pytest.mark.parametrize('fields,match', [
    ({'type': 'Pooling', 'pooling_param': {'pool': 'STOCHASTIC',
                                           'kernel_size': 2}},
     'pool method STOCHASTIC'),
    ({'type': 'Pooling', 'pooling_param': {'kernel_size': 2, 'pad': 2}},
     'pad .* must be smaller than the kernel'),
    ({'type': 'Pooling', 'pooling_param': {'pool': 'MAX'}},
     'no kernel size'),
    ({'type': 'Pooling', 'pooling_param': {'global_pooling': True,
                                           'kernel_size': 2}},
     'global_pooling with a kernel size'),
    ({'type': 'LRN', 'lrn_param': {'local_size': 4}},
     'local_size 4'),
    ({'type': 'Convolution', 'convolution_param': {'num_output': 5},
      'blobs': [numpy.zeros((4, 2, 3, 3), 'f'), numpy.zeros(4, 'f')]},
     'num_output 5 does not match'),
    ({'type': 'Convolution', 'convolution_param': {'kernel_size': [2]},
      'blobs': [numpy.zeros((4, 2, 3, 3), 'f'), numpy.zeros(4, 'f')]},
     r'kernel size \(2, 2\) does not match'),
    ({'type': 'Convolution', 'convolution_param': {'group': 3},
      'blobs': [numpy.zeros((4, 2, 3, 3), 'f'), numpy.zeros(4, 'f')]},
     'group 3 does not divide'),
    ({'type': 'Convolution', 'blobs': [numpy.zeros((4, 2, 3, 3), 'f')]},
     'needs a weight and a bias'),
    ({'type': 'Convolution', 'convolution_param': {'axis': 2},
      'blobs': [numpy.zeros((4, 2, 3, 3), 'f'), numpy.zeros(4, 'f')]},
     'axis 2'),
    ({'type': 'Convolution', 'blobs': [numpy.zeros((4, 2, 3, 3), 'f'),
                                       numpy.zeros(5, 'f')]},
     r'bias blob has shape \(5,\)'),
    ({'type': 'InnerProduct', 'blobs': []}, 'needs a weight'),
    ({'type': 'InnerProduct', 'inner_product_param': {'num_output': 2},
      'blobs': [numpy.zeros((3, 4), 'f'), numpy.zeros(3, 'f')]},
     'num_output 2 does not match'),
    ({'type': 'BatchNorm', 'blobs': [numpy.zeros(3, 'f')]},
     'needs a mean and a variance'),
    ({'type': 'Eltwise', 'eltwise_param': {'operation': 'MAX',
                                           'coeff': [1, 2]}},
     'coefficients are only for the SUM'),
    ({'type': 'Eltwise', 'eltwise_param': {'coeff': [1, 2, 3]}},
     '3 coefficients for 1 bottoms'),
    ({'type': 'Concat', 'concat_param': {'axis': 1, 'concat_dim': 1}},
     'both axis and concat_dim'),
    ({'type': 'Slice', 'slice_param': {'slice_point': [1, 2]}},
     '2 slice points for 1 tops'),
    ({'type': 'Reshape', 'reshape_param': {'shape': {'dim': [-1, -1]}}},
     'more than one -1'),
    ({'type': 'Exp', 'exp_param': {'base': -2.0}}, 'base -2'),
    ({'type': 'PReLU', 'prelu_param': {'channel_shared': True},
      'blobs': [numpy.zeros(3, 'f')]}, 'channel_shared'),
    ({'type': 'Scale', 'scale_param': {'num_axes': 2},
      'blobs': [numpy.zeros(3, 'f')]}, 'num_axes 2 does not match'),
    ({'type': 'SoftmaxWithLoss', 'softmax_param': {'axis': 2}},
     'softmax axis 2'),
    ({'type': 'Convolution', 'convolution_param': {'pad': [1, 2, 3]},
      'blobs': [numpy.zeros((4, 2, 3, 3), 'f'), numpy.zeros(4, 'f')]},
     'pad has 3 values for 2 spatial axes'),
    ({'type': 'Convolution', 'convolution_param': {'stride': [0]},
      'blobs': [numpy.zeros((4, 2, 3, 3), 'f'), numpy.zeros(4, 'f')]},
     'stride .* must be positive'),
    ({'type': 'Convolution', 'blobs': [numpy.zeros((4, 2), 'f')]},
     r'weight blob has shape \(4, 2\)'),
])
def test_unsupported_options(caffe, fields, match):
    fields = dict(fields, name='bad', bottom='x', top='bad')
    func = _load_with_warning(caffe, [fields], match)
    with pytest.raises(NotImplementedError, match=match):
        func(inputs={'x': numpy.ones((1, 4, 6, 6), 'f')}, outputs=['bad'])
    # A disabled layer is skipped, so its top is simply not computed.
    with pytest.raises(KeyError, match="'bad' .* were disabled"):
        func(inputs={'x': numpy.ones((1, 4, 6, 6), 'f')}, outputs=['bad'],
             disable=['bad'])


def test_v0_and_unknown_v1_layers(caffe):
    layers = [{'name': 'old', 'type': 0, 'layer': b'\x0a\x03old',
               'bottom': ['x'], 'top': ['old']},
              {'name': 'new', 'type': 99, 'bottom': ['x'], 'top': ['new']}]
    with pytest.warns(UserWarning) as record:
        func = caffe.load(layers, format='v1')
    messages = ' '.join(str(w.message) for w in record)
    assert "'V0 layer'" in messages and "'V1 layer type 99'" in messages
    with pytest.raises(NotImplementedError, match='V0 layer'):
        func(inputs={'x': numpy.ones(2, 'f')}, outputs=['old'])


# ------------------------------------------------------------- bad calls
def test_missing_outputs_raise_a_readable_key_error(caffe):
    func = caffe.load([layer('relu', 'ReLU', 'x'),
                       layer('both', 'Eltwise', ['relu', 'y'])])
    x = numpy.ones((1, 2), 'f')
    with pytest.raises(KeyError) as info:
        func(inputs={'x': x}, outputs=['nowhere'])
    assert str(info.value) == (
        "CaffeFunction: output blob 'nowhere' was not computed: no layer "
        "produces it and it is not among the inputs")
    with pytest.raises(KeyError, match="'both' did not run because some of "
                       "their bottom blobs were neither given nor computed"):
        func(inputs={'x': x}, outputs=['both'])
    with pytest.raises(KeyError, match="'relu' were disabled"):
        func(inputs={'x': x}, outputs=['relu'], disable=['relu'])


def test_inputs_are_returned_as_given(caffe):
    func = caffe.load([layer('relu', 'ReLU', 'x')])
    x = numpy.ones((1, 2), 'f')
    same, = func(inputs={'x': x}, outputs=['x'])
    assert same is x


@pytest.mark.parametrize('kwargs,match', [
    ({'inputs': [('x', 1)], 'outputs': ['relu']}, 'inputs must be a dict'),
    ({'inputs': {'x': numpy.ones(1, 'f')}, 'outputs': 'relu'},
     'outputs must be a list'),
    ({'inputs': {'x': [1.0, 2.0]}, 'outputs': ['relu']},
     "input 'x' must be a Variable or an array, got list"),
])
def test_bad_call_arguments(caffe, kwargs, match):
    func = caffe.load([layer('relu', 'ReLU', 'x')])
    with pytest.raises(TypeError, match=match):
        func(**kwargs)


@pytest.mark.parametrize('fields,match', [
    ({'type': 'Slice', 'top': ['a', 'b', 'c']},
     "'bad' .*cannot be split into 3"),
    ({'type': 'Pooling', 'pooling_param': {'kernel_size': 5}},
     "'bad' .*window \\(5\\) is larger"),
    ({'type': 'Reshape', 'reshape_param': {'shape': {'dim': [5, -1]}}},
     "'bad' .*cannot infer the -1"),
    ({'type': 'Softmax', 'softmax_param': {'axis': 4}},
     "'bad' .*axis 4 is out of range"),
    ({'type': 'Flatten', 'flatten_param': {'end_axis': -5}},
     "'bad' .*end_axis -5 is out of range"),
])
def test_runtime_shape_errors_name_the_layer(caffe, fields, match):
    fields = dict({'name': 'bad', 'bottom': 'x', 'top': 'bad'}, **fields)
    func = caffe.load([fields])
    with pytest.raises(ValueError, match=match):
        func(inputs={'x': numpy.ones((1, 1, 4, 4), 'f')},
             outputs=[fields['top'] if isinstance(fields['top'], str)
                      else fields['top'][0]])


def test_duplicate_layer_names(caffe):
    with pytest.raises(ValueError, match=r"'.*\.caffemodel' has two layers "
                       "named 'relu'"):
        caffe.load([layer('relu', 'ReLU', 'x'), layer('relu', 'TanH', 'x')])


@pytest.mark.parametrize('name', ['params', 'forward', 'layers',
                                  'variables'])
def test_layer_names_that_clash_with_attributes(caffe, name):
    with pytest.raises(ValueError, match="layer '{}' cannot become a child "
                       "link".format(name)):
        caffe.load([layer(name, 'InnerProduct', 'x', blobs=[
            numpy.zeros((2, 3), 'f'), numpy.zeros(2, 'f')])])


# --------------------------------------------------------- malformed files
def _write(tmp_path, data, name='bad.caffemodel'):
    path = str(tmp_path / name)
    with open(path, 'wb') as f:
        f.write(data)
    return path


def _top_level_boundaries(data):
    ends = {0}
    for _, _, value in _wire.iter_fields(data):
        ends.add(value[1] if isinstance(value, tuple) else None)
    return ends


def test_truncated_files_raise_a_clear_error(tmp_path):
    with open(LENET, 'rb') as f:
        data = f.read()
    boundaries = _top_level_boundaries(data)
    cuts = sorted(set(range(1, 400, 7)) | set(range(1000, len(data), 9973)) |
                  {len(data) - 1, len(data) - 5})
    path = str(tmp_path / 'cut.caffemodel')
    for cut in cuts:
        if cut in boundaries:
            continue  # a shorter, but valid, message
        with open(path, 'wb') as f:
            f.write(data[:cut])
        with pytest.raises(ValueError, match=r"cannot load '.*cut\."
                           r"caffemodel': it is not a binary Caffe model.*"
                           r"truncated"):
            CaffeFunction(path)


@pytest.mark.parametrize('content,match', [
    (b'', 'the file is empty'),
    (b'# A markdown file\n\nSome *text* about models.\n',
     'not a binary Caffe model'),
    (b'name: "LeNet"\nlayer {\n  name: "data"\n}\n',
     'not a binary Caffe model'),
    (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'not a binary Caffe model'),
    (numpy.arange(10, dtype='f').tobytes(), 'not a binary Caffe model'),
    (_wire.encode_len_field(1, b'just a name'), 'holds no layers'),
])
def test_files_that_are_not_caffe_models(tmp_path, content, match):
    path = _write(tmp_path, content)
    with pytest.raises(ValueError, match=match) as info:
        CaffeFunction(path)
    assert 'bad.caffemodel' in str(info.value)


def test_missing_file():
    with pytest.raises(FileNotFoundError):
        CaffeFunction('/nonexistent/dir/model.caffemodel')


@pytest.mark.parametrize('fmt', ['layer', 'v1'])
@pytest.mark.parametrize('blob,match', [
    (writer.blob(numpy.zeros(10, 'f'), shape=(3, 4)),
     r'blob 0 holds 10 values, but its shape \(3, 4\) needs 12'),
    (writer.blob(numpy.zeros(10, 'f'), legacy_shape=(1, 1, 3, 4)),
     r'blob 0 holds 10 values, but its shape \(1, 1, 3, 4\) needs 12'),
    (writer.blob(numpy.zeros(0, 'f'), shape=(2,)),
     r'blob 0 holds 0 values, but its shape \(2,\) needs 2'),
    (writer.blob(numpy.zeros(1, 'f'), shape=(-1,)),
     r'blob 0 has a negative dimension: shape \(-1,\)'),
])
def test_blob_size_mismatch(caffe, fmt, blob, match):
    path = caffe.write([layer('ip', 'InnerProduct', 'x', blobs=[blob])],
                       format=fmt)
    field = 'layers' if fmt == 'v1' else 'layer'
    with pytest.raises(ValueError, match=r"cannot load '.*\.caffemodel': "
                       + field + r"\[0\] \('ip'\) " + match):
        CaffeFunction(path)


def test_double_unpacked_and_legacy_blobs_load(caffe):
    w = caffe.uniform((3, 4), 1)
    b = caffe.uniform((3,), 2)
    x = caffe.uniform((2, 4), 0)
    expected = x.astype('d') @ w.T + b
    variants = [
        [writer.blob(w, double=True), writer.blob(b, double=True)],
        [writer.blob(w, packed=False), writer.blob(b, packed=False)],
        [writer.blob(w, legacy_shape=True), writer.blob(b,
                                                        legacy_shape=True)],
    ]
    for blobs in variants:
        func = caffe.load([layer('ip', 'InnerProduct', 'x',
                                 inner_product_param={'num_output': 3},
                                 blobs=blobs)])
        assert func['ip'].W.dtype == numpy.float32
        y, = func(inputs={'x': x}, outputs=['ip'])
        numpy.testing.assert_allclose(y.array, expected, rtol=1e-5,
                                      atol=1e-6)


def test_both_layer_fields_use_the_current_one(caffe, tmp_path):
    current = writer.net_to_bytes([layer('relu', 'ReLU', 'x')])
    old = writer.net_to_bytes([layer('tanh', 'TanH', 'x')], format='v1')
    path = _write(tmp_path, current + old)
    with pytest.warns(UserWarning, match='V1 layers are ignored'):
        func = CaffeFunction(path)
    assert [name for name, _, _ in func.layers] == ['relu']


def test_no_warning_for_a_fully_supported_net():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        CaffeFunction(LENET)
