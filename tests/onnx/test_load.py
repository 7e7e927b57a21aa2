"""dynet.onnx.load on hand-written ONNX graphs (onnxruntime is the
reference), its errors, and the Chain it returns."""
import io

import numpy
import pytest

import dynet
import dynet.onnx
from dynet import functions as F
from dynet import links as L

onnx = pytest.importorskip('onnx')
onnxruntime = pytest.importorskip('onnxruntime')
helper = onnx.helper
numpy_helper = onnx.numpy_helper
FLOAT = onnx.TensorProto.FLOAT


def _rand(*shape, seed=0, low=-1.0, high=1.0):
    return numpy.random.RandomState(seed).uniform(low, high, shape).astype(
        numpy.float32)


def make_model(nodes, inputs, outputs, initializers=None, opset=17):
    """``inputs``: name -> example array; ``outputs``: names (float) or
    (name, elem_type) pairs; ``initializers``: name -> array."""
    graph_inputs = [helper.make_tensor_value_info(
        name, helper.np_dtype_to_tensor_dtype(a.dtype), a.shape)
        for name, a in inputs.items()]
    graph_outputs = [helper.make_tensor_value_info(
        *((o, FLOAT) if isinstance(o, str) else o), None) for o in outputs]
    inits = [numpy_helper.from_array(numpy.asarray(a), name)
             for name, a in (initializers or {}).items()]
    graph = helper.make_graph(nodes, 'test', graph_inputs, graph_outputs,
                              initializer=inits)
    opsets = [helper.make_operatorsetid('', opset)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = helper.find_min_ir_version_for(opsets)
    # The checker wants output shapes: inferred, or else ranks from a run.
    model = onnx.shape_inference.infer_shapes(model)
    missing = [o for o in model.graph.output
               if not o.type.tensor_type.HasField('shape')]
    if missing:
        session = onnxruntime.InferenceSession(
            model.SerializeToString(), providers=['CPUExecutionProvider'])
        names = [o.name for o in missing]
        for o, value in zip(missing, session.run(names, inputs)):
            shape = o.type.tensor_type.shape
            for i in range(value.ndim):
                shape.dim.add().dim_param = '{}_{}'.format(o.name, i)
    onnx.checker.check_model(model)
    return model


def check_against_onnxruntime(model, feeds, atol=1e-5, rtol=1e-4):
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=['CPUExecutionProvider'])
    expected = session.run(None, feeds)
    loaded = dynet.onnx.load(model)
    got = loaded(**feeds)
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(expected)
    for y, e in zip(got, expected):
        assert y.shape == e.shape
        numpy.testing.assert_allclose(y.array, e, atol=atol, rtol=rtol)
    params = list(loaded.params())
    if params:
        loss = sum(F.sum(y * y) for y in got if y.dtype.kind == 'f')
        loss.backward()
        for name, param in loaded.namedparams():
            assert param.grad is not None, name
    return loaded


def node(op_type, inputs, outputs, **attrs):
    return helper.make_node(op_type, inputs, outputs, **attrs)


W3 = _rand(3, 2, 3, 3, seed=1)
CASES = [
    ('gemm_general', [node('Gemm', ['a', 'B', 'C'], ['y'], transA=1,
                           alpha=0.5, beta=2.0)],
     {'a': _rand(3, 2)}, {'B': _rand(3, 4, seed=1), 'C': _rand(1, 4)}, 17),
    ('gemm_linear', [node('Gemm', ['a', 'W', 'b'], ['y'], transB=1)],
     {'a': _rand(2, 3)}, {'W': _rand(4, 3, seed=1), 'b': _rand(4)}, 17),
    ('conv_same_upper', [node('Conv', ['x', 'W'], ['y'], strides=[2, 2],
                              auto_pad='SAME_UPPER')],
     {'x': _rand(1, 2, 6, 5)}, {'W': W3}, 17),
    ('conv_asymmetric', [node('Conv', ['x', 'W', 'b'], ['y'],
                              pads=[0, 1, 2, 0])],
     {'x': _rand(1, 2, 5, 5)}, {'W': W3, 'b': _rand(3)}, 17),
    ('conv_transpose_output_shape', [node(
        'ConvTranspose', ['x', 'W', 'b'], ['y'], strides=[2, 2],
        output_shape=[9, 8])],
     {'x': _rand(1, 3, 4, 4)}, {'W': _rand(3, 2, 3, 3, seed=2),
                                'b': _rand(2)}, 17),
    ('conv_transpose_asymmetric', [node(
        'ConvTranspose', ['x', 'W'], ['y'], strides=[2, 1],
        pads=[0, 1, 2, 0], output_padding=[1, 0])],
     {'x': _rand(1, 3, 4, 4)}, {'W': _rand(3, 2, 3, 3, seed=2)}, 17),
    ('max_pool_ceil', [node('MaxPool', ['x'], ['y'], kernel_shape=[3, 3],
                            strides=[2, 2], ceil_mode=1)],
     {'x': _rand(1, 2, 6, 7)}, {}, 17),
    ('max_pool_ceil_dropped_window', [node(
        'MaxPool', ['x'], ['y'], kernel_shape=[2, 2], strides=[2, 2],
        pads=[1, 1, 1, 1], ceil_mode=1)], {'x': _rand(1, 1, 5, 5)}, {}, 17),
    ('max_pool_same_lower', [node('MaxPool', ['x'], ['y'],
                                  kernel_shape=[2, 3],
                                  auto_pad='SAME_LOWER')],
     {'x': _rand(1, 2, 4, 5)}, {}, 17),
    ('average_pool_exclude_pad_ceil', [node(
        'AveragePool', ['x'], ['y'], kernel_shape=[3, 3], strides=[2, 2],
        pads=[1, 1, 1, 1], ceil_mode=1)], {'x': _rand(1, 2, 6, 6)}, {}, 17),
    ('average_pool_include_pad_asymmetric', [node(
        'AveragePool', ['x'], ['y'], kernel_shape=[2, 2],
        pads=[0, 0, 1, 1], count_include_pad=1)],
     {'x': _rand(1, 2, 4, 4)}, {}, 17),
    ('global_pools', [node('GlobalAveragePool', ['x'], ['a']),
                      node('GlobalMaxPool', ['x'], ['m'])],
     {'x': _rand(2, 3, 4, 4)}, {}, 17),
    ('softmax_opset11', [node('Softmax', ['x'], ['y'], axis=1)],
     {'x': _rand(2, 3, 4)}, {}, 11),
    ('log_softmax_axis', [node('LogSoftmax', ['x'], ['y'], axis=0)],
     {'x': _rand(2, 3, 4)}, {}, 17),
    ('reduce_attr_axes', [node('ReduceMean', ['x'], ['y'], axes=[1],
                               keepdims=0),
                          node('ReduceL2', ['x'], ['z'], axes=[0, 2])],
     {'x': _rand(2, 3, 4)}, {}, 13),
    ('reduce_input_axes', [node('ReduceMax', ['x', 'axes'], ['y']),
                           node('ReduceSumSquare', ['x'], ['z'],
                                keepdims=0),
                           node('ReduceSum', ['x', 'none'], ['w'],
                                noop_with_empty_axes=1)],
     {'x': _rand(2, 3, 4)}, {'axes': numpy.array([-1], numpy.int64),
                             'none': numpy.zeros(0, numpy.int64)}, 18),
    ('more_reductions', [node('ReduceL1', ['x'], ['a'], axes=[2]),
                         node('ReduceLogSumExp', ['x'], ['b'], axes=[0],
                              keepdims=0),
                         node('ReduceMin', ['x'], ['c']),
                         node('ReduceProd', ['x'], ['d'], axes=[1])],
     {'x': _rand(2, 3, 4)}, {}, 13),
    ('constant_of_shape_and_cast', [
        node('Shape', ['x'], ['s']),
        node('ConstantOfShape', ['s'], ['ones'], value=numpy_helper.from_array(
            numpy.array([1.5], numpy.float32))),
        node('Cast', ['s'], ['sf'], to=FLOAT),
        node('Mul', ['x', 'ones'], ['m']),
        node('Concat', ['s', 's'], ['ss'], axis=0),
        node('Cast', ['ss'], ['ssf'], to=FLOAT),
        node('ReduceSum', ['ssf'], ['total'], keepdims=0),
        node('Add', ['m', 'total'], ['y']),
        node('Cast', ['y'], ['y64'], to=onnx.TensorProto.DOUBLE)],
     {'x': _rand(2, 3)}, {}, 17, ['y', ('y64', onnx.TensorProto.DOUBLE)]),
    ('slice_negative_steps', [node('Slice', ['x', 's', 'e', 'a', 'p'],
                                   ['y'])],
     {'x': _rand(4, 5)}, {'s': numpy.array([-1, 1], numpy.int64),
                          'e': numpy.array([-2 ** 63, 1000], numpy.int64),
                          'a': numpy.array([0, 1], numpy.int64),
                          'p': numpy.array([-2, 2], numpy.int64)}, 17),
    ('slice_clamping', [node('Slice', ['x', 's', 'e', 'a', 'p'], ['y']),
                        node('Slice', ['x', 'e', 's', 'a', 'q'], ['z'])],
     {'x': _rand(4, 5)}, {'s': numpy.array([-10, 9], numpy.int64),
                          'e': numpy.array([-100, -9], numpy.int64),
                          'a': numpy.array([0, 1], numpy.int64),
                          'p': numpy.array([-1, -3], numpy.int64),
                          'q': numpy.array([1, 2], numpy.int64)}, 17),
    ('split_num_outputs', [node('Split', ['x'], ['a', 'b', 'c'], axis=1,
                                num_outputs=3)],
     {'x': _rand(2, 7)}, {}, 18),
    ('split_sizes', [node('Split', ['x', 's'], ['a', 'b'], axis=0)],
     {'x': _rand(5, 2)}, {'s': numpy.array([2, 3], numpy.int64)}, 13),
    ('shapes', [node('Flatten', ['x'], ['f'], axis=2),
                node('Flatten', ['x'], ['f2'], axis=-1),
                node('Unsqueeze', ['f', 'ax'], ['u']),
                node('Squeeze', ['u', 'ax'], ['s']),
                node('Transpose', ['s'], ['t']),
                node('Expand', ['x', 'shape'], ['e']),
                node('Tile', ['x', 'reps'], ['r'])],
     {'x': _rand(2, 3, 1, 2)},
     {'ax': numpy.array([0, -1], numpy.int64),
      'shape': numpy.array([2, 1, 4, 1], numpy.int64),
      'reps': numpy.array([1, 2, 1, 2], numpy.int64)}, 17),
    ('pad_modes', [node('Pad', ['x', 'p'], ['r'], mode='reflect'),
                   node('Pad', ['x', 'p', 'v'], ['c']),
                   node('Pad', ['x', 'q'], ['k'])],
     {'x': _rand(3, 4)}, {'p': numpy.array([1, 2, 1, 0], numpy.int64),
                          'v': numpy.array(2.5, numpy.float32),
                          'q': numpy.array([0, -1, 1, 0], numpy.int64)}, 17),
    ('computed_flatten_shape', [
        node('Shape', ['x'], ['shape']),
        node('Gather', ['shape', 'zero'], ['batch'], axis=0),
        node('Unsqueeze', ['batch', 'axis0'], ['batch1']),
        node('Concat', ['batch1', 'minus1'], ['target'], axis=0),
        node('Reshape', ['x', 'target'], ['y'])],
     {'x': _rand(2, 3, 4)}, {'zero': numpy.array(0, numpy.int64),
                             'axis0': numpy.array([0], numpy.int64),
                             'minus1': numpy.array([-1], numpy.int64)}, 17,
     ['y']),
    ('activations', [node('Clip', ['x', 'lo'], ['c']),
                     node('HardSigmoid', ['x'], ['h'], alpha=0.3,
                          beta=0.4),
                     node('PRelu', ['x4', 'slope'], ['p']),
                     node('LeakyRelu', ['x'], ['l']),
                     node('Elu', ['x'], ['e']),
                     node('Softplus', ['x'], ['s']),
                     node('Dropout', ['x', 'ratio'], ['d']),
                     node('Identity', ['x'], ['i'])],
     {'x': _rand(2, 3), 'x4': _rand(2, 3, 2, 2, seed=3)},
     {'lo': numpy.array(-0.2, numpy.float32),
      'slope': _rand(3, 1, 1, seed=4),
      'ratio': numpy.array(0.3, numpy.float32)}, 17),
    ('arithmetic', [node('Constant', [], ['k'], value_floats=[2.0, 3.0,
                                                                 0.5]),
                    node('Sum', ['x', 'k', 'y'], ['s']),
                    node('Mean', ['x', 'y'], ['m']),
                    node('Max', ['x', 'k', 'y'], ['mx']),
                    node('Min', ['x', 'y'], ['mn']),
                    node('Div', ['x', 'k'], ['d']),
                    node('Pow', ['k', 'x'], ['pw']),
                    node('Reciprocal', ['k'], ['rc']),
                    node('Sub', ['k', 'x'], ['sb']),
                    node('Mul', ['x', 'rc'], ['ml']),
                    node('Neg', ['x'], ['n']),
                    node('Erf', ['x'], ['er']),
                    node('Sqrt', ['k'], ['sq']),
                    node('Add', ['sq', 'x'], ['ad']),
                    node('MatMul', ['x', 'w'], ['mm'])],
     {'x': _rand(2, 3), 'y': _rand(1, 3, seed=1)},
     {'w': _rand(3, 2, seed=2)}, 17),
    ('gather_negative', [node('Gather', ['x', 'i'], ['y'], axis=1)],
     {'x': _rand(2, 4)}, {'i': numpy.array([[-1, 0], [2, 1]], numpy.int64)},
     17),
    ('batch_normalization', [node('BatchNormalization',
                                  ['x', 'g', 'b', 'm', 'v'], ['y'],
                                  epsilon=1e-3)],
     {'x': _rand(2, 3, 2, 2)},
     {'g': _rand(3, seed=1), 'b': _rand(3, seed=2), 'm': _rand(3, seed=3),
      'v': _rand(3, seed=4, low=0.5, high=2)}, 15),
    ('lrn', [node('LRN', ['x'], ['y'], size=3, alpha=0.3, beta=0.6,
                  bias=1.5)], {'x': _rand(1, 5, 2, 2)}, {}, 17),
]


@pytest.mark.parametrize('case', CASES, ids=[c[0] for c in CASES])
def test_import(case):
    _, nodes, inputs, initializers, opset = case[:5]
    outputs = case[5] if len(case) > 5 else [
        o for n in nodes for o in n.output if n.op_type != 'Constant']
    model = make_model(nodes, inputs, outputs, initializers, opset)
    check_against_onnxruntime(model, inputs)


def test_initializer_roles(tmp_path):
    nodes = [node('Conv', ['x', 'conv.W'], ['c']),
             node('BatchNormalization', ['c', 'bn.gamma', 'bn.beta',
                                         'bn.avg_mean', 'bn.avg_var'],
                  ['b']),
             node('Reshape', ['b', 'shape'], ['y'])]
    initializers = {'conv.W': _rand(2, 1, 3, 3), 'bn.gamma': _rand(2),
                    'bn.beta': _rand(2), 'bn.avg_mean': _rand(2),
                    'bn.avg_var': _rand(2, low=0.5),
                    'shape': numpy.array([1, -1], numpy.int64)}
    model = make_model(nodes, {'x': _rand(1, 1, 4, 4)}, ['y'], initializers)
    loaded = dynet.onnx.load(model)
    assert sorted(p for p, _ in loaded.namedparams()) == [
        '/bn/beta', '/bn/gamma', '/conv/W']
    assert sorted(loaded.bn._persistent) == ['avg_mean', 'avg_var']
    assert not hasattr(loaded, 'shape')
    # Serialized like the links they came from.
    source = dynet.Chain()
    with source.init_scope():
        source.conv = L.Convolution2D(1, 2, 3, nobias=True)
        source.bn = L.BatchNormalization(2)
    source.bn.avg_mean[...] = 7
    path = str(tmp_path / 'm.npz')
    dynet.serializers.save_npz(path, source)
    dynet.serializers.load_npz(path, loaded)
    numpy.testing.assert_array_equal(loaded.bn.avg_mean, 7)
    numpy.testing.assert_array_equal(loaded.conv.W.array,
                                     source.conv.W.array)


def test_batch_normalization_in_training_mode_updates_statistics():
    initializers = {'g': _rand(3, seed=1), 'b': _rand(3, seed=2),
                    'm': _rand(3, seed=3), 'v': _rand(3, seed=4, low=0.5)}
    model = make_model([node('BatchNormalization', ['x', 'g', 'b', 'm', 'v'],
                             ['y'], momentum=0.8)],
                       {'x': _rand(4, 3)}, ['y'], initializers)
    x = _rand(4, 3, seed=9)
    # By default the graph's (inference) meaning, whatever config.train.
    loaded = dynet.onnx.load(model)
    with dynet.using_config('train', True):
        y = loaded(x)
    numpy.testing.assert_allclose(y.array, F.fixed_batch_normalization(
        x, initializers['g'], initializers['b'], initializers['m'],
        initializers['v'], eps=1e-5).array, rtol=1e-5)
    numpy.testing.assert_array_equal(loaded.m, initializers['m'])

    loaded = dynet.onnx.load(model, follow_train_config=True)
    with dynet.using_config('train', False):
        numpy.testing.assert_allclose(loaded(x).array, y.array, rtol=1e-6)
    mean, var = initializers['m'].copy(), initializers['v'].copy()
    with dynet.using_config('train', True):
        y = loaded(x)
    expected = F.batch_normalization(
        x, initializers['g'], initializers['b'], eps=1e-5,
        running_mean=mean, running_var=var, decay=0.8)
    numpy.testing.assert_allclose(y.array, expected.array, rtol=1e-5)
    numpy.testing.assert_allclose(loaded.m, mean, rtol=1e-6)
    numpy.testing.assert_allclose(loaded.v, var, rtol=1e-6)
    assert not numpy.allclose(loaded.m, initializers['m'])


def test_sources(tmp_path):
    model = make_model([node('Relu', ['x'], ['y'])], {'x': _rand(2)}, ['y'])
    path = tmp_path / 'relu.onnx'
    onnx.save(model, str(path))
    x = _rand(2)
    for source in (model, str(path), path, model.SerializeToString(),
                   io.BytesIO(model.SerializeToString())):
        chain = dynet.onnx.load(source)
        assert isinstance(chain, dynet.Chain)
        numpy.testing.assert_array_equal(chain(x).array, numpy.maximum(x, 0))


def test_calling_conventions_and_errors():
    model = make_model([node('Sub', ['a', 'b'], ['y'])],
                       {'a': _rand(2, 3), 'b': _rand(2, 3)}, ['y'])
    chain = dynet.onnx.load(model)
    assert chain.input_names == ['a', 'b']
    assert chain.output_names == ['y']
    a, b = _rand(2, 3), _rand(2, 3, seed=1)
    for y in (chain(a, b), chain(a, b=b), chain(b=b, a=a),
              chain(dynet.Variable(a), b)):
        numpy.testing.assert_array_equal(y.array, a - b)
    with pytest.raises(TypeError, match='takes 2 inputs'):
        chain(a, b, a)
    with pytest.raises(TypeError, match="unknown input 'c'"):
        chain(a, c=b)
    with pytest.raises(TypeError, match="input 'a' given twice"):
        chain(a, a=a)
    with pytest.raises(TypeError, match=r"missing inputs \['b'\]"):
        chain(a)
    with pytest.raises(TypeError, match="'b' must have dtype float32"):
        chain(a, b.astype(numpy.float64))
    with pytest.raises(ValueError, match="'b' must have 2 dimensions"):
        chain(a, b[0])
    with pytest.raises(TypeError, match="'b' must be an array"):
        chain(a, [1, 2])


def test_gradients_flow_to_inputs_and_parameters():
    model = make_model([node('Gemm', ['x', 'W'], ['y'], transB=1)],
                       {'x': _rand(2, 3)}, ['y'], {'W': _rand(4, 3)})
    chain = dynet.onnx.load(model)
    x = dynet.Variable(_rand(2, 3, seed=5))
    F.sum(chain(x)).backward()
    numpy.testing.assert_allclose(x.grad, numpy.tile(
        chain.W.array.sum(axis=0), (2, 1)), rtol=1e-6)
    numpy.testing.assert_allclose(chain.W.grad, numpy.tile(
        x.array.sum(axis=0), (4, 1)), rtol=1e-6)


def test_unsupported_operator_is_named_at_load():
    model = make_model([node('TopK', ['x', 'k'], ['v', 'i'], name='top')],
                       {'x': _rand(2, 5)},
                       ['v', ('i', onnx.TensorProto.INT64)],
                       {'k': numpy.array([2], numpy.int64)})
    with pytest.raises(dynet.onnx.UnsupportedNodeError) as info:
        dynet.onnx.load(model)
    assert "'top'" in str(info.value) and 'TopK' in str(info.value)


@pytest.mark.parametrize('nodes, inputs, match', [
    ([node('MaxPool', ['x'], ['y'], kernel_shape=[2], dilations=[2])],
     {'x': _rand(1, 1, 6)}, 'dilated pooling'),
    ([node('LRN', ['x'], ['y'], size=4)], {'x': _rand(1, 6, 2)},
     'even size'),
    ([node('Reshape', ['x', 's'], ['y'])],
     {'x': _rand(2, 3), 's': numpy.array([3, 2], numpy.int64)},
     'must be a constant'),
    ([node('MaxPool', ['x'], ['y', 'i'], kernel_shape=[2])],
     {'x': _rand(1, 1, 6)}, 'Indices'),
])
def test_unsupported_settings_at_call(nodes, inputs, match):
    outputs = [(o, onnx.TensorProto.INT64) if o == 'i' else o
               for n in nodes for o in n.output]
    chain = dynet.onnx.load(make_model(nodes, inputs, outputs))
    with pytest.raises(dynet.onnx.UnsupportedNodeError, match=match) as info:
        chain(**inputs)
    assert nodes[0].op_type in str(info.value)


def test_custom_domain_and_bad_graphs():
    model = make_model([node('Relu', ['x'], ['y'])], {'x': _rand(2)}, ['y'])
    model.graph.node[0].domain = 'com.example'
    with pytest.raises(dynet.onnx.UnsupportedNodeError,
                       match='custom domain'):
        dynet.onnx.load(model)

    unsorted = make_model([node('Relu', ['x'], ['h']),
                           node('Relu', ['h'], ['y'])],
                          {'x': _rand(2)}, ['y'])
    first, second = list(unsorted.graph.node)
    del unsorted.graph.node[:]
    unsorted.graph.node.extend([second, first])
    with pytest.raises(ValueError, match='topological order'):
        dynet.onnx.load(unsorted)

    with pytest.raises(ValueError, match='not a valid ONNX model'):
        dynet.onnx.load(b'\xff\xfe not protobuf')
    with pytest.raises(TypeError, match='expected a path'):
        dynet.onnx.load(3)


def test_dropout_follows_train_config_only_when_asked():
    model = make_model([node('Dropout', ['x', 'r'], ['y'])],
                       {'x': _rand(50, 40)}, ['y'],
                       {'r': numpy.array(0.5, numpy.float32)})
    x = _rand(50, 40, low=1, high=2)
    with dynet.using_config('train', True):
        numpy.testing.assert_array_equal(dynet.onnx.load(model)(x).array, x)
        y = dynet.onnx.load(model, follow_train_config=True)(x).array
    dropped = y == 0
    assert 0.3 < dropped.mean() < 0.7
    numpy.testing.assert_allclose(y[~dropped], x[~dropped] * 2, rtol=1e-6)
