"""The options of dynet.onnx.export (onnx_chainer.export's API), its
errors and its file writing."""
import io
import os

import numpy
import pytest

import dynet
import dynet.onnx
from dynet import functions as F
from dynet import links as L

onnx = pytest.importorskip('onnx')
onnxruntime = pytest.importorskip('onnxruntime')


class TwoLayer(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4)
            self.l2 = L.Linear(4, 2)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


class Keyed(dynet.Chain):
    """Keyword inputs, dict outputs."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(3, 2)

    def forward(self, a, b):
        return {'sum': self.l(a + b), 'prod': a * b}


def _x(*shape):
    return numpy.arange(numpy.prod(shape), dtype=numpy.float32).reshape(
        shape) / 10


def _run(proto, feeds):
    session = onnxruntime.InferenceSession(
        proto.SerializeToString(), providers=['CPUExecutionProvider'])
    return session.run(None, feeds)


def _names(values):
    return [v.name for v in values]


# ------------------------------------------------------------- defaults
def test_defaults():
    model = TwoLayer()
    proto = dynet.onnx.export(model, _x(2, 3))
    assert isinstance(proto, onnx.ModelProto)
    assert _names(proto.graph.input) == ['Input_0']
    assert _names(proto.graph.output) == ['Output_0']
    assert proto.graph.name == 'Graph'
    assert proto.producer_name == 'dynet'
    assert [(o.domain, o.version) for o in proto.opset_import] == [
        ('', dynet.onnx.DEFAULT_OPSET_VERSION)]
    assert dynet.onnx.DEFAULT_OPSET_VERSION == 17
    assert sorted(_names(proto.graph.initializer)) == [
        'l1.W', 'l1.b', 'l2.W', 'l2.b']
    shape = [d.dim_value for d in
             proto.graph.output[0].type.tensor_type.shape.dim]
    assert shape == [2, 2]


@pytest.mark.parametrize('args', [
    'array', 'variable', 'list', 'tuple'])
def test_args_forms(args):
    x = _x(2, 3)
    given = {'array': x, 'variable': dynet.Variable(x), 'list': [x],
             'tuple': (x,)}[args]
    model = TwoLayer()
    proto = dynet.onnx.export(model, given)
    y, = _run(proto, {'Input_0': x})
    with dynet.using_config('train', False):
        numpy.testing.assert_allclose(y, model(x).array, rtol=1e-5)


def test_dict_args_and_outputs():
    model = Keyed()
    a, b = _x(2, 3), _x(2, 3) + 1
    proto = dynet.onnx.export(model, {'a': a, 'b': b})
    assert _names(proto.graph.input) == ['a', 'b']
    assert _names(proto.graph.output) == ['sum', 'prod']
    got_sum, got_prod = _run(proto, {'a': a, 'b': b})
    expected = model(a=a, b=b)
    numpy.testing.assert_allclose(got_sum, expected['sum'].array, rtol=1e-5)
    numpy.testing.assert_allclose(got_prod, a * b, rtol=1e-6)


def test_custom_names_and_named_inout():
    model = Keyed()
    a, b = _x(2, 3), _x(2, 3)
    proto, inputs, outputs = dynet.onnx.export(
        model, {'a': a, 'b': b}, input_names={'b': 'second'},
        output_names={'prod': 'product'}, graph_name='keyed',
        return_named_inout=True)
    assert proto.graph.name == 'keyed'
    assert list(inputs) == ['a', 'second']
    assert list(outputs) == ['sum', 'product']
    assert all(isinstance(v, dynet.Variable) for v in inputs.values())
    numpy.testing.assert_array_equal(outputs['product'].array, a * b)
    numpy.testing.assert_array_equal(inputs['second'].array, b)

    proto = dynet.onnx.export(TwoLayer(), [_x(2, 3)], input_names=['x'],
                              output_names='y')
    assert _names(proto.graph.input) == ['x']
    assert _names(proto.graph.output) == ['y']


def test_outputs_that_are_inputs_or_repeated():
    def forward(x, y):
        h = x * y
        return x, h, h

    model = dynet.Sequential(forward)
    x, y = _x(2, 2), _x(2, 2) + 1
    proto = dynet.onnx.export(model, (x, y))
    got = _run(proto, {'Input_0': x, 'Input_1': y})
    numpy.testing.assert_array_equal(got[0], x)
    numpy.testing.assert_array_equal(got[1], x * y)
    numpy.testing.assert_array_equal(got[2], x * y)
    loaded = dynet.onnx.load(proto)
    out = loaded(x, y)
    assert len(out) == 3
    numpy.testing.assert_array_equal(out[0].array, x)
    numpy.testing.assert_array_equal(out[2].array, x * y)


def test_export_params_false():
    model = TwoLayer()
    x = _x(2, 3)
    proto = dynet.onnx.export(model, x, export_params=False)
    assert len(proto.graph.initializer) == 0
    names = _names(proto.graph.input)
    assert names[0] == 'Input_0'
    assert sorted(names[1:]) == ['l1.W', 'l1.b', 'l2.W', 'l2.b']
    feeds = {'Input_0': x}
    for path, param in model.namedparams():
        feeds[path.strip('/').replace('/', '.')] = param.array
    y, = _run(proto, feeds)
    with dynet.using_config('train', False):
        numpy.testing.assert_allclose(y, model(x).array, rtol=1e-5)


def test_train_flag_reaches_the_model():
    seen = []

    def forward(x):
        seen.append(dynet.config.train)
        return F.relu(x)

    dynet.onnx.export(dynet.Sequential(forward), _x(2), train=True)
    dynet.onnx.export(dynet.Sequential(forward), _x(2))
    assert seen == [True, False]


def test_parameterless_model_and_integer_input():
    # The table is a constant and the ids are integers: nothing here
    # needs a gradient, yet the lookup must depend on the graph input.
    table = _x(4, 3)
    model = dynet.Sequential(lambda x, i: F.tanh(x) * 2 + F.embed_id(
        i, table))
    x = _x(2, 3)
    i = numpy.array([1, 3], dtype=numpy.int32)
    proto = dynet.onnx.export(model, (x, i))
    assert proto.graph.input[1].type.tensor_type.elem_type == \
        onnx.TensorProto.INT32
    for ids in (i, numpy.array([0, 2], dtype=numpy.int32)):
        y, = _run(proto, {'Input_0': x, 'Input_1': ids})
        numpy.testing.assert_allclose(y, numpy.tanh(x) * 2 + table[ids],
                                      rtol=1e-6)
        loaded = dynet.onnx.load(proto)
        numpy.testing.assert_allclose(loaded(x, ids).array, y, rtol=1e-6)


# --------------------------------------------------------------- writing
def test_writes_path_and_text(tmp_path):
    path = tmp_path / 'model.onnx'
    proto = dynet.onnx.export(TwoLayer(), _x(2, 3), filename=str(path),
                              save_text=True)
    assert onnx.load(str(path)) == proto
    text = (tmp_path / 'model.onnx.txt').read_text()
    assert 'Gemm' in text and 'l1.W' in text
    assert sorted(os.listdir(tmp_path)) == ['model.onnx', 'model.onnx.txt']


def test_writes_path_like_and_file_object(tmp_path):
    path = tmp_path / 'model.onnx'
    proto = dynet.onnx.export(TwoLayer(), _x(2, 3), filename=path)
    assert onnx.load(str(path)) == proto
    buffer = io.BytesIO()
    dynet.onnx.export(TwoLayer(), _x(2, 3), filename=buffer)
    assert onnx.load_from_string(buffer.getvalue()).graph.node


def test_failing_export_keeps_the_old_file(tmp_path):
    path = tmp_path / 'model.onnx'
    path.write_bytes(b'old contents')
    model = dynet.Sequential(lambda x: F.cumsum(x, axis=0))
    with pytest.raises(dynet.onnx.UnsupportedFunctionError):
        dynet.onnx.export(model, _x(2, 3), filename=str(path))
    assert path.read_bytes() == b'old contents'
    assert os.listdir(tmp_path) == ['model.onnx']
    fresh = tmp_path / 'fresh.onnx'
    with pytest.raises(dynet.onnx.UnsupportedFunctionError):
        dynet.onnx.export(model, _x(2, 3), filename=str(fresh))
    assert not fresh.exists()
    assert os.listdir(tmp_path) == ['model.onnx']


def test_save_text_needs_a_path():
    with pytest.raises(ValueError, match='save_text'):
        dynet.onnx.export(TwoLayer(), _x(2, 3), save_text=True)
    with pytest.raises(ValueError, match='save_text'):
        dynet.onnx.export(TwoLayer(), _x(2, 3), filename=io.BytesIO(),
                          save_text=True)
    with pytest.raises(TypeError, match='filename'):
        dynet.onnx.export(TwoLayer(), _x(2, 3), filename=3)


# ---------------------------------------------------------------- errors
def test_unsupported_function_is_named():
    model = dynet.Sequential(lambda x: F.cumsum(x, axis=0))
    with pytest.raises(dynet.onnx.UnsupportedFunctionError) as info:
        dynet.onnx.export(model, _x(2, 3))
    message = str(info.value)
    assert 'Cumsum' in message and 'no ONNX converter' in message


def test_user_function_with_a_builtin_name_is_not_converted():
    class ReLU(dynet.FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward(self, indexes, grad_outputs):
            return grad_outputs[0] * 2,

    model = dynet.Sequential(lambda x: ReLU().apply((x,))[0])
    with pytest.raises(dynet.onnx.UnsupportedFunctionError, match='ReLU'):
        dynet.onnx.export(model, _x(2, 3))


@pytest.mark.parametrize('fn, match', [
    (lambda x: F.max_pooling_2d(x, 1, 3), 'entirely in the padding'),
    (lambda x: x[x.array > 0.5], 'boolean mask'),
    (lambda x: x[numpy.array([0]), numpy.array([1])], 'basic indexing'),
    (lambda x: F.embed_id(numpy.array([0, 1], numpy.int32), x[0, 0],
                          ignore_label=1), 'ignore_label'),
])
def test_unsupported_settings(fn, match):
    model = dynet.Sequential(fn)
    x = numpy.random.RandomState(0).uniform(size=(1, 2, 5, 5)).astype(
        numpy.float32)
    with pytest.raises(dynet.onnx.UnsupportedFunctionError, match=match):
        dynet.onnx.export(model, x)


def test_lstm_with_a_shrinking_batch_is_unsupported():
    model = dynet.Sequential(lambda c, x: F.lstm(c, x)[1])
    with pytest.raises(dynet.onnx.UnsupportedFunctionError,
                       match='fewer rows'):
        dynet.onnx.export(model, (_x(3, 2), _x(2, 8)))


@pytest.mark.parametrize('args, error, match', [
    (3, TypeError, 'args must be'),
    ([_x(2), 'text'], TypeError, r'args\[1\]'),
    ({'x': None}, TypeError, r"args\['x'\]"),
    ({1: _x(2)}, TypeError, 'keys'),
])
def test_bad_args(args, error, match):
    with pytest.raises(error, match=match):
        dynet.onnx.export(dynet.Sequential(F.relu), args)


@pytest.mark.parametrize('kwargs, error, match', [
    ({'opset_version': 12}, ValueError, 'opset_version.*13..24'),
    ({'opset_version': 25}, ValueError, 'opset_version'),
    ({'opset_version': 17.0}, TypeError, 'opset_version'),
    ({'input_names': ['a', 'b']}, ValueError, 'input_names has 2 names'),
    ({'input_names': {'a': 'b'}}, TypeError, 'input_names may be a dict'),
    ({'output_names': ['y', 'y2']}, ValueError, 'output_names'),
    ({'input_names': [3]}, TypeError, 'input_names'),
    ({'output_names': 'Input_0'}, ValueError, 'also an input name'),
    ({'graph_name': 3}, TypeError, 'graph_name'),
])
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        dynet.onnx.export(dynet.Sequential(F.relu), _x(2), **kwargs)


def test_bad_model_and_outputs():
    with pytest.raises(TypeError, match='model must be'):
        dynet.onnx.export(3, _x(2))
    with pytest.raises(TypeError, match='must return a Variable'):
        dynet.onnx.export(dynet.Sequential(lambda x: 3), _x(2))
    with pytest.raises(TypeError, match="output 1 of the model"):
        dynet.onnx.export(dynet.Sequential(lambda x: (x * 2, x.array)),
                          _x(2))
