"""Per-operator round trips: dynet -> ONNX (checker, onnxruntime) -> dynet
(the loaded Chain gives the same values and passes gradients back)."""
import numpy
import pytest

import dynet
import dynet.onnx
from dynet import functions as F
from dynet import links as L

pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')


def _rand(*shape, low=-1.0, high=1.0, dtype=numpy.float32):
    return numpy.random.RandomState(len(shape) * 7 + sum(shape)).uniform(
        low, high, shape).astype(dtype)


def _pos(*shape):
    return _rand(*shape, low=0.5, high=2.0)


# (id, forward, inputs, links, expected ONNX op types (or None: not checked))
CASES = [
    # ---------------------------------------------------------- connection
    ('linear', lambda m, x: m.l(x), (_rand(2, 3),),
     lambda: {'l': L.Linear(3, 4)}, ['Gemm']),
    ('linear_nobias', lambda m, x: m.l(x), (_rand(2, 3),),
     lambda: {'l': L.Linear(3, 4, nobias=True)}, ['Gemm']),
    ('linear_flatten', lambda m, x: m.l(x), (_rand(2, 3, 2),),
     lambda: {'l': L.Linear(6, 4)}, ['Reshape', 'Gemm']),
    ('linear_n_batch_axes', lambda m, x: m.l(x, n_batch_axes=2),
     (_rand(2, 3, 5),), lambda: {'l': L.Linear(5, 4)},
     ['Reshape', 'Gemm', 'Reshape']),
    ('conv', lambda m, x: m.c(x), (_rand(2, 3, 7, 6),),
     lambda: {'c': L.Convolution2D(3, 4, 3)}, ['Conv']),
    ('conv_stride_pad', lambda m, x: m.c(x), (_rand(2, 3, 7, 6),),
     lambda: {'c': L.Convolution2D(3, 4, (3, 2), stride=(2, 1),
                                   pad=(1, 2))}, ['Conv']),
    ('conv_dilate_groups', lambda m, x: m.c(x), (_rand(2, 4, 9, 8),),
     lambda: {'c': L.Convolution2D(4, 6, 3, pad=1, dilate=2, groups=2)},
     ['Conv']),
    ('conv_cover_all', lambda m, x: F.convolution_2d(
        x, m.c.W, m.c.b, stride=3, pad=1, cover_all=True),
     (_rand(2, 3, 8, 7),), lambda: {'c': L.Convolution2D(3, 2, 2)},
     ['Conv']),
    ('conv_1d', lambda m, x: m.c(x), (_rand(2, 3, 9),),
     lambda: {'c': L.ConvolutionND(1, 3, 2, 3, stride=2, pad=1)}, ['Conv']),
    ('deconv', lambda m, x: m.d(x), (_rand(2, 3, 4, 5),),
     lambda: {'d': L.Deconvolution2D(3, 2, 3)}, ['ConvTranspose']),
    ('deconv_stride_pad', lambda m, x: m.d(x), (_rand(2, 3, 4, 5),),
     lambda: {'d': L.Deconvolution2D(3, 2, 4, stride=2, pad=1)},
     ['ConvTranspose']),
    ('deconv_outsize', lambda m, x: m.d(x), (_rand(2, 3, 4, 5),),
     lambda: {'d': L.Deconvolution2D(3, 2, 3, stride=2, pad=1,
                                     outsize=(8, 10))}, ['ConvTranspose']),
    ('deconv_groups_dilate', lambda m, x: m.d(x), (_rand(2, 4, 4, 3),),
     lambda: {'d': L.Deconvolution2D(4, 6, 3, stride=2, groups=2,
                                     dilate=2)}, ['ConvTranspose']),
    ('depthwise_conv', lambda m, x: m.c(x), (_rand(2, 3, 6, 6),),
     lambda: {'c': L.DepthwiseConvolution2D(3, 2, 3, pad=1)}, None),
    ('embed_id', lambda m, x: m.e(x),
     (numpy.array([[0, 3], [2, 1]], dtype=numpy.int32),),
     lambda: {'e': L.EmbedID(4, 3)}, ['Gather']),
    # ------------------------------------------------------------- pooling
    ('max_pooling', lambda m, x: F.max_pooling_2d(x, 2), (_rand(2, 3, 6, 6),),
     None, ['MaxPool']),
    ('max_pooling_cover_all', lambda m, x: F.max_pooling_2d(x, 3, 2),
     (_rand(2, 3, 6, 7),), None, ['MaxPool']),
    ('max_pooling_pad', lambda m, x: F.max_pooling_2d(
        x, 3, 2, pad=1, cover_all=False), (_rand(2, 3, 6, 7),), None,
     ['MaxPool']),
    ('max_pooling_pad_cover_all', lambda m, x: F.max_pooling_2d(
        x, 3, (2, 3), pad=(1, 1)), (_rand(2, 1, 8, 7),), None,
     ['MaxPool']),
    ('average_pooling', lambda m, x: F.average_pooling_2d(x, 2),
     (_rand(2, 3, 6, 6),), None, ['AveragePool']),
    ('average_pooling_pad', lambda m, x: F.average_pooling_2d(
        x, 3, 2, pad=1), (_rand(2, 3, 6, 7),), None, ['AveragePool']),
    ('average_pooling_pad_excluded', lambda m, x: F.average_pooling_nd(
        x, 3, 2, pad=1, pad_value=None), (_rand(2, 3, 6, 7),), None,
     ['AveragePool']),
    ('global_average_pooling', lambda m, x: F.average_pooling_2d(x, (4, 5)),
     (_rand(2, 3, 4, 5),), None, ['AveragePool']),
    ('global_mean', lambda m, x: F.mean(x, axis=(2, 3)),
     (_rand(2, 3, 4, 5),), None, ['ReduceMean']),
    ('global_max', lambda m, x: F.max(x, axis=(2, 3), keepdims=True),
     (_rand(2, 3, 4, 5),), None, ['ReduceMax']),
    # ------------------------------------------------------- normalization
    ('batch_normalization_test', lambda m, x: m.bn(x), (_rand(3, 4, 2, 3),),
     lambda: {'bn': _trained_bn(4)}, ['BatchNormalization']),
    ('batch_normalization_2d_input', lambda m, x: m.bn(x), (_rand(3, 4),),
     lambda: {'bn': _trained_bn(4)}, ['BatchNormalization']),
    ('batch_normalization_axis', lambda m, x: F.fixed_batch_normalization(
        x, m.p.g, m.p.b, m.p.mean, m.p.var, axis=(0, 1)), (_rand(3, 2, 4),),
     lambda: _bn_params((4,)),
     ['Transpose', 'BatchNormalization', 'Transpose']),
    ('batch_normalization_two_channel_axes', lambda m, x:
     F.fixed_batch_normalization(x, m.p.g, m.p.b, m.p.mean, m.p.var),
     (_rand(3, 2, 4),), lambda: _bn_params((2, 4)), None),
    ('local_response_normalization', lambda m, x:
     F.local_response_normalization(x), (_rand(2, 7, 3, 3),), None, ['LRN']),
    ('local_response_normalization_even', lambda m, x:
     F.local_response_normalization(x, n=4, k=1.5, alpha=0.1, beta=0.5),
     (_rand(2, 7, 3, 3),), None, ['LRN']),
    # --------------------------------------------------------- activations
    ('relu', lambda m, x: F.relu(x), (_rand(2, 3),), None, ['Relu']),
    ('leaky_relu', lambda m, x: F.leaky_relu(x, 0.3), (_rand(2, 3),), None,
     ['LeakyRelu']),
    ('elu', lambda m, x: F.elu(x, 0.7), (_rand(2, 3),), None, ['Elu']),
    ('sigmoid', lambda m, x: F.sigmoid(x), (_rand(2, 3),), None,
     ['Sigmoid']),
    ('tanh', lambda m, x: F.tanh(x), (_rand(2, 3),), None, ['Tanh']),
    ('softmax', lambda m, x: F.softmax(x), (_rand(2, 3, 4),), None,
     ['Softmax']),
    ('softmax_axis', lambda m, x: F.softmax(x, axis=-1), (_rand(2, 3, 4),),
     None, ['Softmax']),
    ('log_softmax', lambda m, x: F.log_softmax(x), (_rand(2, 3),), None,
     ['LogSoftmax']),
    ('clipped_relu', lambda m, x: F.clipped_relu(x * 4, 2.0), (_rand(2, 3),),
     None, ['Mul', 'Clip']),
    ('hard_sigmoid', lambda m, x: F.hard_sigmoid(x * 4), (_rand(2, 3),),
     None, ['Mul', 'HardSigmoid']),
    ('softplus', lambda m, x: F.softplus(x), (_rand(2, 3),), None,
     ['Softplus']),
    ('softplus_beta', lambda m, x: F.softplus(x, beta=2.0), (_rand(2, 3),),
     None, None),
    ('prelu', lambda m, x: m.p(x), (_rand(2, 3, 2),),
     lambda: {'p': L.PReLU((3,), init=0.3)}, ['Reshape', 'PRelu']),
    ('identity', lambda m, x: F.identity(x), (_rand(2, 3),), None,
     ['Identity']),
    ('identity_two', lambda m, x, y: F.identity(x, y),
     (_rand(2, 3), _rand(3)), None, ['Identity', 'Identity']),
    # --------------------------------------------------------------- array
    ('reshape', lambda m, x: F.reshape(x, (3, -1)), (_rand(2, 3),), None,
     ['Reshape']),
    ('flatten', lambda m, x: F.flatten(x), (_rand(2, 3),), None,
     ['Reshape']),
    ('transpose', lambda m, x: F.transpose(x, (1, 2, 0)), (_rand(2, 3, 4),),
     None, ['Transpose']),
    ('transpose_default', lambda m, x: x.T, (_rand(2, 3, 4),), None,
     ['Transpose']),
    ('swapaxes', lambda m, x: F.swapaxes(x, 0, 2), (_rand(2, 3, 4),), None,
     ['Transpose']),
    ('moveaxis', lambda m, x: F.moveaxis(x, 0, -1), (_rand(2, 3, 4),),
     None, ['Transpose']),
    ('rollaxis', lambda m, x: F.rollaxis(x, 2), (_rand(2, 3, 4),), None,
     ['Transpose']),
    ('permutate', lambda m, x: F.permutate(
        x, numpy.array([2, 0, 1], dtype=numpy.int32), axis=1, inv=True),
     (_rand(2, 3),), None, ['Gather']),
    ('transpose_sequence', lambda m, x, y: F.transpose_sequence([x, y]),
     (_rand(3, 2), _rand(2, 2)), None, ['Concat'] + ['Gather'] * 3),
    ('broadcast', lambda m, x, y: F.broadcast(x, y),
     (_rand(2, 1), _rand(3)), None, ['Expand', 'Expand']),
    ('copy', lambda m, x: F.copy(x, -1), (_rand(2, 3),), None,
     ['Identity']),
    ('concat', lambda m, x, y: F.concat((x, y), axis=-1),
     (_rand(2, 3), _rand(2, 2)), None, ['Concat']),
    ('stack', lambda m, x, y: F.stack((x, y), axis=1),
     (_rand(2, 3), _rand(2, 3)), None, None),
    ('split_axis', lambda m, x: F.split_axis(x, [1, 3], axis=1),
     (_rand(2, 5),), None, ['Slice'] * 3),
    ('separate', lambda m, x: F.separate(x, axis=1), (_rand(2, 3),), None,
     ['Gather'] * 3),
    ('expand_dims', lambda m, x: F.expand_dims(x, -1), (_rand(2, 3),), None,
     ['Unsqueeze']),
    ('squeeze', lambda m, x: F.squeeze(x), (_rand(2, 1, 3, 1),), None,
     ['Squeeze']),
    ('squeeze_axis', lambda m, x: F.squeeze(x, axis=-1),
     (_rand(2, 1, 3, 1),), None, ['Squeeze']),
    ('broadcast_to', lambda m, x: F.broadcast_to(x, (2, 4, 3)),
     (_rand(4, 1),), None, ['Expand']),
    ('get_item_basic', lambda m, x: x[1:, ::-1, 2], (_rand(3, 4, 5),), None,
     ['Slice', 'Reshape']),
    ('get_item_negative_step', lambda m, x: x[..., 3::-2, None],
     (_rand(2, 5),), None, ['Slice', 'Reshape']),
    ('get_item_empty', lambda m, x: F.concat((x[:, -10::-1], x), axis=1),
     (_rand(2, 5),), None, ['Slice', 'Concat']),
    ('get_item_int', lambda m, x: x[-1], (_rand(3, 4),), None,
     ['Slice', 'Reshape']),
    ('get_item_array', lambda m, x: x[:, numpy.array([2, 0, 2])],
     (_rand(3, 4),), None, ['Gather']),
    ('pad', lambda m, x: F.pad(x, ((0, 1), (2, 0)), 'constant',
                               constant_values=0.5), (_rand(2, 3),), None,
     ['Pad']),
    ('pad_edge', lambda m, x: F.pad(x, 1, 'edge'), (_rand(2, 3),), None,
     ['Pad']),
    ('pad_reflect', lambda m, x: F.pad(x, ((1, 2), (0, 2)), 'reflect'),
     (_rand(3, 4),), None, ['Pad']),
    ('tile', lambda m, x: F.tile(x, (2, 1, 3)), (_rand(2, 3),), None,
     ['Reshape', 'Tile']),
    ('cast', lambda m, x: F.cast(x, numpy.float64), (_rand(2, 3),), None,
     ['Cast']),
    # ---------------------------------------------------------------- math
    ('add', lambda m, x, y: x + y, (_rand(2, 3), _rand(3)), None, ['Add']),
    ('sub', lambda m, x, y: x - y, (_rand(2, 3), _rand(2, 1)), None,
     ['Sub']),
    ('mul', lambda m, x, y: x * y, (_rand(2, 3), _rand(2, 3)), None,
     ['Mul']),
    ('div', lambda m, x, y: x / y, (_rand(2, 3), _pos(1, 3)), None,
     ['Div']),
    ('add_constant', lambda m, x: x + 1.5 - numpy.float32(0.5),
     (_rand(2, 3),), None, ['Add', 'Add']),
    ('sub_from_constant', lambda m, x: 2 - x, (_rand(2, 3),), None,
     ['Sub']),
    ('mul_constant_array', lambda m, x: x * numpy.array(
        [1, 2, 3], dtype=numpy.float32), (_rand(2, 3),), None, ['Mul']),
    ('div_constant', lambda m, x: x / 4, (_rand(2, 3),), None, ['Mul']),
    ('div_from_constant', lambda m, x: 3 / x, (_pos(2, 3),), None, ['Div']),
    ('neg', lambda m, x: -x, (_rand(2, 3),), None, ['Neg']),
    ('pow_var_const', lambda m, x: x ** 3, (_rand(2, 3),), None, ['Pow']),
    ('pow_const_var', lambda m, x: 2 ** x, (_rand(2, 3),), None, ['Pow']),
    ('pow_var_var', lambda m, x, y: x ** y, (_pos(2, 3), _rand(2, 3)), None,
     ['Pow']),
    ('multi_add', lambda m, x, y, z: F.add(x, y, z),
     (_rand(2, 3), _rand(3), _rand(2, 1)), None, ['Sum']),
    ('absolute', lambda m, x: abs(x), (_rand(2, 3),), None, ['Abs']),
    ('exp_log_sqrt', lambda m, x: F.log(F.exp(x)) + F.sqrt(x * x + 1),
     (_rand(2, 3),), None, None),
    ('square', lambda m, x: F.square(x), (_rand(2, 3),), None, ['Mul']),
    ('trigonometric', lambda m, x: F.sin(x) + F.cos(x) + F.tan(x) +
     F.arcsin(x) + F.arccos(x) + F.arctan(x), (_rand(2, 3) * 0.9,), None,
     ['Sin', 'Cos', 'Add', 'Tan', 'Add', 'Asin', 'Add', 'Acos', 'Add',
      'Atan', 'Add']),
    ('hyperbolic', lambda m, x: F.sinh(x) * F.cosh(x), (_rand(2, 3),), None,
     ['Sinh', 'Cosh', 'Mul']),
    ('sum_to', lambda m, x: F.sum_to(x, (3, 1)), (_rand(2, 3, 4),), None,
     ['ReduceSum', 'Reshape']),
    ('maximum_minimum', lambda m, x, y: F.maximum(x, y) + F.minimum(x, y),
     (_rand(2, 3), _rand(2, 3)), None, ['Max', 'Min', 'Add']),
    ('clip', lambda m, x: F.clip(x, -0.5, 0.25), (_rand(2, 3),), None,
     ['Clip']),
    ('matmul', lambda m, x, y: F.matmul(x, y), (_rand(2, 3), _rand(3, 4)),
     None, ['MatMul']),
    ('matmul_trans', lambda m, x, y: F.matmul(x, y, transa=True,
                                              transb=True),
     (_rand(2, 3, 2), _rand(2, 4, 3)), None, None),
    ('matmul_vector', lambda m, x, y: F.matmul(x, y),
     (_rand(2, 3, 4), _rand(4)), None, None),
    ('sum_all', lambda m, x: F.sum(x), (_rand(2, 3),), None, ['ReduceSum']),
    ('sum_axes', lambda m, x: F.sum(x, axis=(0, 2), keepdims=True),
     (_rand(2, 3, 4),), None, ['ReduceSum']),
    ('mean_axis', lambda m, x: F.mean(x, axis=-1), (_rand(2, 3, 4),), None,
     ['ReduceMean']),
    ('max_min', lambda m, x: F.max(x, axis=1) + F.min(x, axis=1),
     (_rand(2, 3, 4),), None, ['ReduceMax', 'ReduceMin', 'Add']),
    ('prod', lambda m, x: F.prod(x, axis=0), (_rand(2, 3),), None,
     ['ReduceProd']),
    ('logsumexp', lambda m, x: F.logsumexp(x, axis=1), (_rand(2, 3),), None,
     ['ReduceLogSumExp']),
    # ----------------------------------------------------------------- rnn
    ('lstm_cell', lambda m, c, x: F.lstm(c, x),
     (_rand(2, 3), _rand(2, 12)), None, None),
]


def _trained_bn(size):
    bn = L.BatchNormalization(size)
    state = numpy.random.RandomState(3)
    bn.avg_mean[...] = state.uniform(-1, 1, size)
    bn.avg_var[...] = state.uniform(0.5, 2, size)
    bn.gamma.array[...] = state.uniform(0.5, 2, size)
    bn.beta.array[...] = state.uniform(-1, 1, size)
    return bn


def _bn_params(shape):
    state = numpy.random.RandomState(4)
    link = dynet.Link()
    with link.init_scope():
        link.g = dynet.Parameter(state.uniform(0.5, 2, shape).astype(
            numpy.float32))
        link.b = dynet.Parameter(state.uniform(-1, 1, shape).astype(
            numpy.float32))
    link.add_persistent('mean', state.uniform(-1, 1, shape).astype(
        numpy.float32))
    link.add_persistent('var', state.uniform(0.5, 2, shape).astype(
        numpy.float32))
    return {'p': link}


class _Model(dynet.Chain):

    def __init__(self, fn, links):
        super().__init__()
        self.fn = fn
        with self.init_scope():
            for name, link in links.items():
                setattr(self, name, link)

    def forward(self, *xs):
        return self.fn(self, *xs)


@pytest.mark.parametrize('opset', [
    dynet.onnx.MINIMUM_OPSET_VERSION, dynet.onnx.DEFAULT_OPSET_VERSION,
    dynet.onnx.MAXIMUM_OPSET_VERSION])
@pytest.mark.parametrize('case', CASES, ids=[c[0] for c in CASES])
def test_operator(case, opset, roundtrip):
    _, fn, inputs, links, expected_ops = case
    model = _Model(fn, links() if links else {})
    proto, loaded = roundtrip(model, inputs, opset_version=opset)
    if expected_ops is not None:
        assert [n.op_type for n in proto.graph.node
                if n.op_type != 'Constant'] == expected_ops
    # Parameters keep their paths in the loaded Chain. (Statistics used
    # outside a BatchNormalization node become parameters too.)
    original = {p for p, _ in model.namedparams()}
    assert original <= {p for p, _ in loaded.namedparams()}
    if case[0] != 'batch_normalization_two_channel_axes':
        assert original == {p for p, _ in loaded.namedparams()}
