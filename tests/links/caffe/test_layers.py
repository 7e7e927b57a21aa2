"""Every supported layer type and parameter, in both file formats where
Caffe's V1 format has the layer, against NumPy references."""
import numpy
import pytest

import dynet

FORMATS = ['layer', 'v1']
TOL = dict(rtol=1e-5, atol=1e-5)


def check(actual, expected, tol=TOL):
    assert actual.shape == expected.shape
    assert actual.dtype == numpy.float32
    numpy.testing.assert_allclose(actual, expected, **tol)


def layer(name, type_name, bottom, top=None, **fields):
    fields.update(name=name, type=type_name, bottom=bottom,
                  top=name if top is None else top)
    return fields


# -------------------------------------------------------------- convolution
CONV_CASES = [
    # (param, input shape, weight shape, ref keyword arguments)
    ({'num_output': 4, 'kernel_size': [3], 'pad': [1]},
     (2, 3, 5, 6), (4, 3, 3, 3), {'pad': (1, 1)}),
    ({'num_output': 2, 'kernel_h': 3, 'kernel_w': 2, 'stride_h': 2,
      'stride_w': 1, 'pad_h': 1, 'pad_w': 0},
     (1, 2, 7, 5), (2, 2, 3, 2), {'stride': (2, 1), 'pad': (1, 0)}),
    ({'num_output': 3, 'kernel_size': [3, 2], 'stride': [1, 2],
      'pad': [0, 1]},
     (1, 2, 6, 6), (3, 2, 3, 2), {'stride': (1, 2), 'pad': (0, 1)}),
    ({'num_output': 2, 'kernel_size': [3], 'dilation': [2], 'pad': [2]},
     (1, 2, 7, 7), (2, 2, 3, 3), {'dilation': (2, 2), 'pad': (2, 2)}),
    ({'num_output': 4, 'kernel_size': [2], 'group': 2, 'stride': [2]},
     (2, 6, 6, 6), (4, 3, 2, 2), {'group': 2, 'stride': (2, 2)}),
    ({'num_output': 3, 'kernel_size': [1], 'bias_term': False},
     (1, 2, 3, 3), (3, 2, 1, 1), {}),
]


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,x_shape,w_shape,kwargs', CONV_CASES)
def test_convolution(caffe, fmt, param, x_shape, w_shape, kwargs):
    x = caffe.uniform(x_shape, 0)
    w = caffe.uniform(w_shape, 1)
    b = caffe.uniform((w_shape[0],), 2)
    bias = param.get('bias_term', True)
    blobs = [w, b] if bias else [w]
    y, = caffe.run([layer('conv', 'Convolution', 'x',
                          convolution_param=param, blobs=blobs)],
                   {'x': x}, ['conv'], format=fmt)
    check(y, caffe.conv_ref(x, w, b if bias else None, **kwargs))


def test_grouped_convolution_has_chainers_block_diagonal_weight(caffe):
    w = caffe.uniform((4, 3, 2, 2), 1)
    func = caffe.load([layer('conv', 'Convolution', 'x',
                             convolution_param={'kernel_size': [2],
                                                'group': 2},
                             blobs=[w, numpy.zeros(4, 'f')])])
    full = func['conv'].W.array
    assert full.shape == (4, 6, 2, 2)
    numpy.testing.assert_array_equal(full[:2, :3], w[:2])
    numpy.testing.assert_array_equal(full[2:, 3:], w[2:])
    assert not full[:2, 3:].any() and not full[2:, :3].any()


def test_convolution_3d(caffe):
    x = caffe.uniform((1, 2, 4, 5, 3), 0)
    w = caffe.uniform((3, 2, 2, 3, 2), 1)
    b = caffe.uniform((3,), 2)
    y, = caffe.run([layer('conv', 'Convolution', 'x',
                          convolution_param={'kernel_size': [2, 3, 2],
                                             'pad': [1, 0, 0]},
                          blobs=[w, b])], {'x': x}, ['conv'])
    xp = numpy.pad(x.astype('d'), [(0, 0), (0, 0), (1, 1), (0, 0), (0, 0)])
    expected = numpy.zeros((1, 3, 5, 3, 2))
    for i in range(5):
        for j in range(3):
            for k in range(2):
                window = xp[:, :, i:i + 2, j:j + 3, k:k + 2]
                expected[:, :, i, j, k] = numpy.einsum(
                    'ncdhw,ocdhw->no', window, w) + b
    check(y, expected)


DECONV_CASES = [
    ({'num_output': 3, 'kernel_size': [3]},
     (2, 2, 3, 4), (2, 3, 3, 3), {}),
    ({'num_output': 2, 'kernel_size': [4], 'stride': [2], 'pad': [1]},
     (1, 3, 3, 3), (3, 2, 4, 4), {'stride': (2, 2), 'pad': (1, 1)}),
    ({'num_output': 2, 'kernel_h': 3, 'kernel_w': 2, 'stride_h': 2,
      'stride_w': 1, 'pad_h': 1, 'pad_w': 0},
     (1, 2, 3, 4), (2, 2, 3, 2), {'stride': (2, 1), 'pad': (1, 0)}),
    ({'num_output': 4, 'kernel_size': [2], 'group': 2},
     (1, 4, 3, 3), (4, 2, 2, 2), {'group': 2}),
    ({'num_output': 2, 'kernel_size': [3], 'dilation': [2],
      'bias_term': False},
     (1, 2, 3, 3), (2, 2, 3, 3), {'dilation': (2, 2)}),
]


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,x_shape,w_shape,kwargs', DECONV_CASES)
def test_deconvolution(caffe, fmt, param, x_shape, w_shape, kwargs):
    x = caffe.uniform(x_shape, 0)
    w = caffe.uniform(w_shape, 1)
    out = param['num_output']
    b = caffe.uniform((out,), 2)
    bias = param.get('bias_term', True)
    y, = caffe.run([layer('deconv', 'Deconvolution', 'x',
                          convolution_param=param,
                          blobs=[w, b] if bias else [w])],
                   {'x': x}, ['deconv'], format=fmt)
    check(y, caffe.deconv_ref(x, w, b if bias else None, **kwargs))


# ------------------------------------------------------------ inner product
@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,x_shape,n_lead', [
    ({'num_output': 5}, (3, 2, 2, 2), 1),
    ({'num_output': 4, 'axis': 2}, (2, 3, 2, 3), 2),
    ({'num_output': 4, 'axis': -1}, (2, 3, 6), 2),
    ({'num_output': 3, 'bias_term': False}, (2, 7), 1),
    ({'num_output': 3, 'transpose': True}, (2, 2, 3), 1),
])
def test_inner_product(caffe, fmt, param, x_shape, n_lead):
    x = caffe.uniform(x_shape, 0)
    lead = x_shape[:n_lead]
    features = int(numpy.prod(x_shape[n_lead:]))
    out = param['num_output']
    w = caffe.uniform((out, features), 1)
    b = caffe.uniform((out,), 2)
    bias = param.get('bias_term', True)
    stored = w.T.copy() if param.get('transpose') else w
    y, = caffe.run([layer('ip', 'InnerProduct', 'x',
                          inner_product_param=param,
                          blobs=[stored, b] if bias else [stored])],
                   {'x': x}, ['ip'], format=fmt)
    expected = x.reshape(lead + (features,)).astype('d') @ w.T
    if bias:
        expected = expected + b
    check(y, expected)


def test_inner_product_link_holds_the_weight_as_out_by_in(caffe):
    w = caffe.uniform((3, 4), 1)
    func = caffe.load([layer('ip', 'InnerProduct', 'x',
                             inner_product_param={'num_output': 3,
                                                  'transpose': True},
                             blobs=[w.T.copy(), numpy.zeros(3, 'f')])])
    numpy.testing.assert_array_equal(func['ip'].W.array, w)


# ------------------------------------------------------------------ pooling
POOL_CASES = [
    # (param, input shape, ref arguments)
    ({'pool': 'MAX', 'kernel_size': 2, 'stride': 2}, (2, 2, 4, 6),
     ('max', (2, 2), (2, 2), (0, 0))),
    # ceil rounding adds a last, partial window
    ({'pool': 'MAX', 'kernel_size': 3, 'stride': 2}, (1, 2, 6, 6),
     ('max', (3, 3), (2, 2), (0, 0))),
    # padding; the window starting beyond H + pad is dropped
    ({'pool': 'MAX', 'kernel_size': 2, 'stride': 2, 'pad': 1},
     (1, 2, 5, 5), ('max', (2, 2), (2, 2), (1, 1))),
    ({'pool': 'AVE', 'kernel_size': 2, 'stride': 2, 'pad': 1},
     (1, 2, 5, 5), ('ave', (2, 2), (2, 2), (1, 1))),
    # the divisor is the window clipped to the padded input
    ({'pool': 'AVE', 'kernel_size': 3, 'stride': 2, 'pad': 1},
     (2, 2, 6, 6), ('ave', (3, 3), (2, 2), (1, 1))),
    ({'pool': 'AVE', 'kernel_size': 3, 'stride': 2}, (1, 3, 6, 7),
     ('ave', (3, 3), (2, 2), (0, 0))),
    ({'pool': 'AVE', 'kernel_size': 3, 'stride': 1, 'pad': 1},
     (1, 2, 4, 5), ('ave', (3, 3), (1, 1), (1, 1))),
    ({'pool': 'MAX', 'kernel_h': 3, 'kernel_w': 2, 'stride_h': 2,
      'stride_w': 1, 'pad_h': 1, 'pad_w': 0}, (1, 2, 6, 5),
     ('max', (3, 2), (2, 1), (1, 0))),
    ({'pool': 'AVE', 'kernel_h': 2, 'kernel_w': 3, 'stride_h': 1,
      'stride_w': 2, 'pad_h': 0, 'pad_w': 1}, (1, 2, 4, 6),
     ('ave', (2, 3), (1, 2), (0, 1))),
]


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,x_shape,ref', POOL_CASES)
def test_pooling(caffe, fmt, param, x_shape, ref):
    x = caffe.uniform(x_shape, 0)
    y, = caffe.run([layer('pool', 'Pooling', 'x', pooling_param=param)],
                   {'x': x}, ['pool'], format=fmt)
    method, k, s, p = ref
    check(y, caffe.pool_ref(x, method, k, s, p))


@pytest.mark.parametrize('method', ['MAX', 'AVE'])
def test_pooling_floor_round_mode(caffe, method):
    x = caffe.uniform((1, 2, 6, 7), 0)
    y, = caffe.run([layer('pool', 'Pooling', 'x', pooling_param={
        'pool': method, 'kernel_size': 3, 'stride': 2, 'pad': 1,
        'round_mode': 'FLOOR'})], {'x': x}, ['pool'])
    expected = caffe.pool_ref(x, method.lower(), (3, 3), (2, 2), (1, 1),
                              ceil_mode=False)
    assert expected.shape == (1, 2, 3, 4)
    check(y, expected)


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('method', ['MAX', 'AVE'])
def test_global_pooling(caffe, fmt, method):
    x = caffe.uniform((2, 3, 4, 5), 0)
    y, = caffe.run([layer('pool', 'Pooling', 'x', pooling_param={
        'pool': method, 'global_pooling': True})], {'x': x}, ['pool'],
        format=fmt)
    reduce = numpy.max if method == 'MAX' else numpy.mean
    check(y, reduce(x.astype('d'), axis=(2, 3), keepdims=True))


def test_average_pooling_divisor_is_not_the_window_area(caffe):
    # The reference used above must differ from a plain "divide by k*k"
    # average here, or the AVE tests could not tell the rules apart.
    x = numpy.ones((1, 1, 6, 6), numpy.float32)
    y, = caffe.run([layer('pool', 'Pooling', 'x', pooling_param={
        'pool': 'AVE', 'kernel_size': 3, 'stride': 2, 'pad': 1})],
        {'x': x}, ['pool'])
    # 4 x 4 windows starting at -1, 1, 3, 5. The last one covers [5, 8),
    # clipped to the padded input [-1, 7): 2 x 2 cells, of which only
    # (5, 5) is real, so 1 / 4 (a plain 3 x 3 divisor would give 1 / 9).
    # The first covers [-1, 2): 3 x 3 cells, 2 x 2 real: 4 / 9.
    assert y.shape == (1, 1, 4, 4)
    numpy.testing.assert_allclose(y[0, 0, 3, 3], 1 / 4, rtol=1e-6)
    numpy.testing.assert_allclose(y[0, 0, 0, 0], 4 / 9, rtol=1e-6)
    numpy.testing.assert_allclose(y[0, 0, 1, 1], 1.0)


def test_pooling_gradient_flows(caffe):
    x = dynet.Variable(caffe.uniform((1, 1, 5, 5), 0))
    func = caffe.load([layer('pool', 'Pooling', 'x', pooling_param={
        'pool': 'AVE', 'kernel_size': 2, 'stride': 2, 'pad': 1})])
    y, = func(inputs={'x': x}, outputs=['pool'])
    dynet.functions.sum(y).backward()
    # d(sum of averages)/dx: each element's share in the windows it is in.
    expected = numpy.zeros((5, 5))
    for i in range(3):
        for j in range(3):
            h0, w0 = 2 * i - 1, 2 * j - 1
            area = (min(h0 + 2, 6) - h0) * (min(w0 + 2, 6) - w0)
            expected[max(h0, 0):h0 + 2, max(w0, 0):w0 + 2] += 1 / area
    numpy.testing.assert_allclose(x.grad[0, 0], expected, rtol=1e-6)


# -------------------------------------------------------------- activations
ELEMENTWISE_CASES = [
    ('ReLU', {}, lambda x: numpy.maximum(x, 0)),
    ('ReLU', {'relu_param': {'negative_slope': 0.1}},
     lambda x: numpy.where(x > 0, x, 0.1 * x)),
    ('Sigmoid', {}, lambda x: 1 / (1 + numpy.exp(-x))),
    ('TanH', {}, numpy.tanh),
    ('AbsVal', {}, numpy.abs),
    ('BNLL', {}, lambda x: numpy.log1p(numpy.exp(x))),
    ('Threshold', {'threshold_param': {'threshold': 0.25}},
     lambda x: (x > 0.25).astype('d')),
    ('Exp', {}, numpy.exp),
    ('Exp', {'exp_param': {'base': 2.0, 'scale': 0.5, 'shift': 0.25}},
     lambda x: 2.0 ** (0.25 + 0.5 * x)),
    ('Power', {'power_param': {'power': 2.0, 'scale': 0.5, 'shift': 1.0}},
     lambda x: (1 + 0.5 * x) ** 2),
    ('Power', {'power_param': {'scale': -3.0, 'shift': 0.5}},
     lambda x: 0.5 - 3 * x),
    ('Power', {'power_param': {'power': 3.0}}, lambda x: x ** 3),
    ('Power', {'power_param': {'power': 2.0, 'scale': 0.0, 'shift': 3.0}},
     lambda x: numpy.full_like(x, 9.0)),
    ('Power', {'power_param': {'power': 0.0, 'shift': 3.0}},
     lambda x: numpy.ones_like(x)),
    ('Power', {}, lambda x: x),
    ('Dropout', {'dropout_param': {'dropout_ratio': 0.3}}, lambda x: x),
]


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('type_name,fields,reference', ELEMENTWISE_CASES)
def test_elementwise(caffe, fmt, type_name, fields, reference):
    x = caffe.uniform((2, 3, 4), 0, -2, 2)
    y, = caffe.run([layer('f', type_name, 'x', **fields)], {'x': x}, ['f'],
                   format=fmt)
    check(y, reference(x.astype('d')))


@pytest.mark.parametrize('type_name,fields,reference', [
    ('ELU', {'elu_param': {'alpha': 0.5}},
     lambda x: numpy.where(x > 0, x, 0.5 * (numpy.exp(x) - 1))),
    ('ELU', {}, lambda x: numpy.where(x > 0, x, numpy.exp(x) - 1)),
    ('Log', {'log_param': {'scale': 2.0, 'shift': 3.0}},
     lambda x: numpy.log(3 + 2 * x)),
    ('Log', {'log_param': {'base': 10.0, 'shift': 2.5}},
     lambda x: numpy.log10(2.5 + x)),
    ('Power', {'power_param': {'power': 0.5, 'shift': 2.5}},
     lambda x: numpy.sqrt(2.5 + x)),
])
def test_elementwise_current_format_only(caffe, type_name, fields,
                                         reference):
    x = caffe.uniform((2, 3, 4), 0, -1, 1)
    y, = caffe.run([layer('f', type_name, 'x', **fields)], {'x': x}, ['f'])
    check(y, reference(x.astype('d')))


def test_dropout_in_training(caffe):
    x = numpy.ones((50, 40), numpy.float32)
    y, = caffe.run([layer('drop', 'Dropout', 'x',
                          dropout_param={'dropout_ratio': 0.25})],
                   {'x': x}, ['drop'], train=True)
    kept = y != 0
    assert 0.6 < kept.mean() < 0.9
    numpy.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,axis', [({}, 1), ({'axis': 2}, 2),
                                        ({'axis': -1}, 2)])
def test_softmax(caffe, fmt, param, axis):
    x = caffe.uniform((2, 3, 4), 0, -3, 3)
    y, = caffe.run([layer('prob', 'Softmax', 'x', softmax_param=param)],
                   {'x': x}, ['prob'], format=fmt)
    check(y, caffe.softmax_ref(x, axis))


def test_prelu(caffe):
    x = caffe.uniform((2, 3, 2, 2), 0)
    slopes = numpy.array([0.1, 0.5, 2.0], numpy.float32)
    shared = numpy.array(0.3, numpy.float32)
    y, z = caffe.run([
        layer('p', 'PReLU', 'x', blobs=[slopes]),
        layer('q', 'PReLU', 'x', prelu_param={'channel_shared': True},
              blobs=[shared])], {'x': x}, ['p', 'q'])
    xd = x.astype('d')
    check(y, numpy.where(xd > 0, xd, slopes.reshape(1, 3, 1, 1) * xd))
    check(z, numpy.where(xd > 0, xd, 0.3 * xd))


# ------------------------------------------------------------ normalization
@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param', [
    {'local_size': 3, 'alpha': 0.5, 'beta': 0.75, 'k': 2.0},
    {'local_size': 5, 'alpha': 2.0, 'beta': 0.6},
    {},
])
def test_lrn_across_channels(caffe, fmt, param):
    x = caffe.uniform((2, 7, 2, 3), 0, -2, 2)
    y, = caffe.run([layer('norm', 'LRN', 'x', lrn_param=param)],
                   {'x': x}, ['norm'], format=fmt)
    check(y, caffe.lrn_across_ref(x, param.get('local_size', 5),
                                  param.get('alpha', 1.0),
                                  param.get('beta', 0.75),
                                  param.get('k', 1.0)))


@pytest.mark.parametrize('fmt', FORMATS)
def test_lrn_within_channel(caffe, fmt):
    x = caffe.uniform((2, 2, 5, 4), 0, -2, 2)
    y, = caffe.run([layer('norm', 'LRN', 'x', lrn_param={
        'local_size': 3, 'alpha': 1.5, 'beta': 0.75, 'k': 5.0,
        'norm_region': 'WITHIN_CHANNEL'})], {'x': x}, ['norm'], format=fmt)
    check(y, caffe.lrn_within_ref(x, 3, 1.5, 0.75))


def _bn_blobs(mean, var, factor):
    return [numpy.asarray(mean, 'f') * factor, numpy.asarray(var, 'f') *
            factor, numpy.array([factor], 'f')]


@pytest.mark.parametrize('use_global_stats', [True, None])
def test_batch_norm_with_stored_statistics(caffe, use_global_stats):
    x = caffe.uniform((2, 3, 2, 2), 0, -2, 2)
    mean, var = [0.3, -0.7, 1.25], [2.0, 0.5, 3.25]
    param = {'eps': 1e-3}
    if use_global_stats is not None:
        param['use_global_stats'] = use_global_stats
    y, = caffe.run([layer('bn', 'BatchNorm', 'x', batch_norm_param=param,
                          blobs=_bn_blobs(mean, var, 7.5))],
                   {'x': x}, ['bn'])
    m = numpy.array(mean).reshape(1, 3, 1, 1)
    v = numpy.array(var).reshape(1, 3, 1, 1)
    check(y, (x - m) / numpy.sqrt(v + 1e-3))


def test_batch_norm_zero_scale_factor_means_zero_statistics(caffe):
    x = caffe.uniform((2, 3, 2), 0, -2, 2)
    y, = caffe.run([layer('bn', 'BatchNorm', 'x', batch_norm_param={
        'use_global_stats': True, 'eps': 1.0}, blobs=[
            numpy.full(3, 5, 'f'), numpy.full(3, 9, 'f'),
            numpy.zeros(1, 'f')])], {'x': x}, ['bn'])
    check(y, x / numpy.sqrt(1.0))


def test_batch_norm_default_eps_and_two_blobs(caffe):
    x = caffe.uniform((4, 2), 0, -2, 2)
    y, = caffe.run([layer('bn', 'BatchNorm', 'x', blobs=[
        numpy.array([0.5, -1], 'f'), numpy.array([1e-4, 2], 'f')])],
        {'x': x}, ['bn'])
    eps = float(numpy.float32(1e-5))
    check(y, (x - [0.5, -1]) / numpy.sqrt(numpy.array([1e-4, 2]) + eps))


def test_batch_norm_training_uses_batch_statistics(caffe):
    x = caffe.uniform((5, 3), 0, -2, 2)
    blobs = _bn_blobs([9, 9, 9], [4, 4, 4], 1.0)
    y, = caffe.run([layer('bn', 'BatchNorm', 'x', blobs=blobs)],
                   {'x': x}, ['bn'], train=True)
    xd = x.astype('d')
    eps = float(numpy.float32(1e-5))
    check(y, (xd - xd.mean(0)) / numpy.sqrt(xd.var(0) + eps))
    # use_global_stats forces the stored statistics even in training.
    y, = caffe.run([layer('bn', 'BatchNorm', 'x', blobs=blobs,
                          batch_norm_param={'use_global_stats': True})],
                   {'x': x}, ['bn'], train=True)
    check(y, (xd - 9) / numpy.sqrt(4 + eps))


def test_scale_and_bias_layers(caffe):
    x = caffe.uniform((2, 3, 4, 2), 0)
    s = caffe.uniform((3,), 1)
    t = caffe.uniform((3,), 2)
    s2 = caffe.uniform((3, 4), 3)
    s_last = caffe.uniform((2,), 4)
    y = caffe.uniform((3, 4), 5)
    outputs = caffe.run([
        layer('s1', 'Scale', 'x', scale_param={'bias_term': True},
              blobs=[s, t]),
        layer('s2', 'Scale', 'x', scale_param={'num_axes': 2},
              blobs=[s2]),
        layer('s3', 'Scale', 'x', scale_param={'axis': -1},
              blobs=[s_last]),
        layer('s4', 'Scale', ['x', 'y']),
        layer('s5', 'Scale', ['x', 'y'], scale_param={'bias_term': True},
              blobs=[t]),
        layer('s6', 'Scale', 'x', scale_param={'num_axes': 0},
              blobs=[numpy.array(1.5, 'f')]),
        layer('b1', 'Bias', 'x', blobs=[t]),
        layer('b2', 'Bias', ['x', 'y']),
        layer('b3', 'Bias', 'x', bias_param={'axis': 2, 'num_axes': 2},
              blobs=[caffe.uniform((4, 2), 6)]),
    ], {'x': x, 'y': y}, ['s1', 's2', 's3', 's4', 's5', 's6', 'b1', 'b2',
                          'b3'])
    xd = x.astype('d')
    c = (1, 3, 1, 1)
    check(outputs[0], xd * s.reshape(c) + t.reshape(c))
    check(outputs[1], xd * s2.reshape(1, 3, 4, 1))
    check(outputs[2], xd * s_last)
    check(outputs[3], xd * y.reshape(1, 3, 4, 1))
    check(outputs[4], xd * y.reshape(1, 3, 4, 1) + t.reshape(c))
    check(outputs[5], xd * 1.5)
    check(outputs[6], xd + t.reshape(c))
    check(outputs[7], xd + y.reshape(1, 3, 4, 1))
    check(outputs[8], xd + caffe.uniform((4, 2), 6))


def test_scale_link_holds_the_blobs(caffe):
    s, t = numpy.array([1, 2], 'f'), numpy.array([3, 4], 'f')
    func = caffe.load([layer('sc', 'Scale', 'x',
                             scale_param={'bias_term': True},
                             blobs=[s, t])])
    numpy.testing.assert_array_equal(func['sc'].W.array, s)
    numpy.testing.assert_array_equal(func['sc'].bias.b.array, t)


# ------------------------------------------------------------ blob plumbing
@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,axis', [
    ({}, 1), ({'concat_dim': 2}, 2), ({'concat_dim': 0}, 0)])
def test_concat(caffe, fmt, param, axis):
    a = caffe.uniform((2, 3, 2), 0)
    b = caffe.uniform((2, 3, 2), 1)
    y, = caffe.run([layer('cat', 'Concat', ['a', 'b'], concat_param=param)],
                   {'a': a, 'b': b}, ['cat'], format=fmt)
    check(y, numpy.concatenate([a, b], axis).astype('d'))


@pytest.mark.parametrize('axis', [2, -1, -3])
def test_concat_axis(caffe, axis):
    a = caffe.uniform((2, 1, 2), 0)
    b = caffe.uniform((2, 1, 3), 1) if axis != -3 else \
        caffe.uniform((2, 1, 2), 1)
    y, = caffe.run([layer('cat', 'Concat', ['a', 'b'],
                          concat_param={'axis': axis})],
                   {'a': a, 'b': b}, ['cat'])
    check(y, numpy.concatenate([a, b], axis).astype('d'))


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,expected', [
    ({}, lambda a, b, c: a + b + c),
    ({'operation': 'SUM', 'coeff': [1.0, -2.0, 0.5]},
     lambda a, b, c: a - 2 * b + 0.5 * c),
    ({'operation': 'PROD'}, lambda a, b, c: a * b * c),
    ({'operation': 'MAX'},
     lambda a, b, c: numpy.maximum(numpy.maximum(a, b), c)),
])
def test_eltwise(caffe, fmt, param, expected):
    xs = [caffe.uniform((2, 3), seed) for seed in range(3)]
    y, = caffe.run([layer('e', 'Eltwise', ['a', 'b', 'c'],
                          eltwise_param=param)],
                   dict(zip('abc', xs)), ['e'], format=fmt)
    check(y, expected(*[x.astype('d') for x in xs]))


@pytest.mark.parametrize('fmt', FORMATS)
def test_split_and_in_place_layers(caffe, fmt):
    x = caffe.uniform((2, 3), 0)
    a, b, r = caffe.run([
        layer('split', 'Split', 'x', top=['a', 'b']),
        layer('relu', 'ReLU', 'a', top='a'),      # in place on one branch
        layer('neg', 'Power', 'b', top='b', power_param={'scale': -1.0}),
        layer('sum', 'Eltwise', ['a', 'b'], top='r'),
    ], {'x': x}, ['a', 'b', 'r'], format=fmt)
    xd = x.astype('d')
    check(a, numpy.maximum(xd, 0))
    check(b, -xd)
    check(r, numpy.maximum(xd, 0) - xd)


@pytest.mark.parametrize('fmt', FORMATS)
def test_flatten_default(caffe, fmt):
    x = caffe.uniform((2, 3, 2, 2), 0)
    y, = caffe.run([layer('f', 'Flatten', 'x')], {'x': x}, ['f'],
                   format=fmt)
    check(y, x.reshape(2, 12).astype('d'))


@pytest.mark.parametrize('param,shape', [
    ({'axis': 2}, (2, 3, 8)),
    ({'axis': 1, 'end_axis': 2}, (2, 6, 4)),
    ({'axis': -3, 'end_axis': -2}, (2, 6, 4)),
    ({'axis': 0, 'end_axis': 0}, (2, 3, 2, 4)),
])
def test_flatten_axes(caffe, param, shape):
    x = caffe.uniform((2, 3, 2, 4), 0)
    y, = caffe.run([layer('f', 'Flatten', 'x', flatten_param=param)],
                   {'x': x}, ['f'])
    check(y, x.reshape(shape).astype('d'))


@pytest.mark.parametrize('x_shape,param,shape', [
    ((2, 3, 4, 2), {'shape': {'dim': [0, -1]}}, (2, 24)),
    ((2, 3, 4, 2), {'shape': {'dim': [0, 2, -1, 4]}}, (2, 2, 3, 4)),
    ((2, 3, 4, 2), {'shape': {'dim': [4, -1]}}, (4, 12)),
    ((2, 3, 4, 2), {'shape': {'dim': [6, 4]}, 'axis': 1}, (2, 6, 4)),
    ((2, 3, 4, 2), {'shape': {'dim': [1, 2]}, 'axis': -2},
     (2, 3, 4, 1, 2)),
    ((2, 3, 4, 2), {'shape': {'dim': [0, 1, -1]}, 'axis': -3},
     (2, 3, 4, 1, 2)),
    ((2, 2, 4, 6), {'shape': {'dim': [1, 2]}, 'axis': 1, 'num_axes': 1},
     (2, 1, 2, 4, 6)),
    ((2, 3, 4, 2), {'shape': {'dim': [1]}, 'axis': 2, 'num_axes': 0},
     (2, 3, 1, 4, 2)),
    ((2, 3, 4, 2), {'shape': {'dim': [-1]}, 'axis': 0, 'num_axes': 2},
     (6, 4, 2)),
])
def test_reshape(caffe, x_shape, param, shape):
    x = caffe.uniform(x_shape, 0)
    y, = caffe.run([layer('r', 'Reshape', 'x', reshape_param=param)],
                   {'x': x}, ['r'])
    check(y, x.reshape(shape).astype('d'))


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('param,axis,points', [
    ({'slice_point': [1, 3]}, 1, [1, 3]),
    ({}, 1, 3),
    ({'slice_dim': 2, 'slice_point': [2]}, 2, [2]),
])
def test_slice(caffe, fmt, param, axis, points):
    x = caffe.uniform((2, 6, 4), 0)
    count = points if isinstance(points, int) else len(points) + 1
    tops = ['s{}'.format(i) for i in range(count)]
    ys = caffe.run([layer('sl', 'Slice', 'x', top=tops, slice_param=param)],
                   {'x': x}, tops, format=fmt)
    expected = numpy.split(x.astype('d'), points, axis)
    assert len(ys) == len(expected)
    for y, e in zip(ys, expected):
        check(y, e)


def test_slice_negative_axis(caffe):
    x = caffe.uniform((2, 3, 4), 0)
    a, b = caffe.run([layer('sl', 'Slice', 'x', top=['a', 'b'],
                            slice_param={'axis': -1})], {'x': x}, ['a', 'b'])
    check(a, x[:, :, :2].astype('d'))
    check(b, x[:, :, 2:].astype('d'))


@pytest.mark.parametrize('fmt', FORMATS)
def test_silence(caffe, fmt):
    x = caffe.uniform((2, 3), 0)
    y, = caffe.run([layer('s', 'Silence', 'x', top=[]),
                    layer('r', 'ReLU', 'x')], {'x': x}, ['r'], format=fmt)
    check(y, numpy.maximum(x, 0).astype('d'))


# --------------------------------------------------------------------- loss
def _cross_entropy(x, t, ignore=None):
    log_p = numpy.log(caffe_softmax(x))
    losses = -log_p[numpy.arange(len(t)), numpy.where(t == ignore, 0, t)]
    mask = t != ignore
    return losses, mask


def caffe_softmax(x):
    e = numpy.exp(x - x.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('loss_param,reduce', [
    ({}, 'valid'),
    ({'ignore_label': 2}, 'valid'),
    ({'normalize': False}, 'batch'),
    ({'normalization': 'NONE', 'ignore_label': 2}, 'none'),
])
def test_softmax_with_loss(caffe, fmt, loss_param, reduce):
    x = caffe.uniform((6, 4), 0, -2, 2)
    t = numpy.array([0, 2, 3, 1, 2, 0], numpy.int32)
    fields = {'loss_param': loss_param} if loss_param else {}
    loss, = caffe.run([layer('loss', 'SoftmaxWithLoss', ['x', 't'],
                             **fields)], {'x': x, 't': t}, ['loss'],
                      format=fmt)
    losses, mask = _cross_entropy(x.astype('d'), t,
                                  loss_param.get('ignore_label'))
    total = (losses * mask).sum()
    expected = {'valid': total / mask.sum(), 'batch': total / len(t),
                'none': total}[reduce]
    assert loss.shape == ()
    numpy.testing.assert_allclose(loss, expected, rtol=1e-5)


# ----------------------------------------------------------- the whole net
def _small_net(caffe):
    return [
        layer('conv1', 'Convolution', 'data', convolution_param={
            'num_output': 4, 'kernel_size': [3], 'pad': [1]},
            blobs=[caffe.uniform((4, 2, 3, 3), 1), caffe.uniform((4,), 2)]),
        layer('relu1', 'ReLU', 'conv1', top='conv1'),
        layer('norm1', 'LRN', 'conv1', lrn_param={'local_size': 3,
                                                  'alpha': 0.1}),
        layer('pool1', 'Pooling', 'norm1', pooling_param={
            'pool': 'MAX', 'kernel_size': 3, 'stride': 2}),
        layer('drop1', 'Dropout', 'pool1', top='pool1'),
        layer('ip1', 'InnerProduct', 'pool1',
              inner_product_param={'num_output': 3},
              blobs=[caffe.uniform((3, 36), 3), caffe.uniform((3,), 4)]),
        layer('prob', 'Softmax', 'ip1'),
    ]


@pytest.mark.parametrize('declare', ['input_layer', 'input_shape',
                                     'input_dim', 'none'])
def test_both_formats_give_the_same_outputs(caffe, declare):
    x = caffe.uniform((2, 2, 6, 6), 0)
    layers = _small_net(caffe)
    kwargs = {}
    if declare == 'input_shape':
        kwargs = {'input': ['data'], 'input_shape': [(1, 2, 6, 6)]}
    elif declare == 'input_dim':
        kwargs = {'input': ['data'], 'input_dim': [1, 2, 6, 6]}
    current_layers = layers
    if declare == 'input_layer':
        current_layers = [layer('data', 'Input', [], top='data',
                                input_param={'shape': [
                                    {'dim': [1, 2, 6, 6]}]})] + layers
    current = caffe.run(current_layers, {'data': x}, ['ip1', 'prob'],
                        **kwargs)
    v1 = caffe.run(layers, {'data': x}, ['ip1', 'prob'], format='v1',
                   **kwargs)
    for a, b in zip(current, v1):
        numpy.testing.assert_array_equal(a, b)
    conv = caffe.conv_ref(x, caffe.uniform((4, 2, 3, 3), 1),
                          caffe.uniform((4,), 2), pad=(1, 1))
    norm = caffe.lrn_across_ref(numpy.maximum(conv, 0), 3, 0.1, 0.75, 1.0)
    pool = caffe.pool_ref(norm, 'max', (3, 3), (2, 2))
    ip1 = pool.reshape(2, 36) @ caffe.uniform((3, 36), 3).T + \
        caffe.uniform((3,), 4)
    check(current[0], ip1)
    check(current[1], caffe.softmax_ref(ip1))


def test_data_layers_are_skipped(caffe):
    x = caffe.uniform((1, 2, 6, 6), 0)
    layers = [layer('data', 'Data', [], top=['data', 'label']),
              layer('img', 'ImageData', [], top=['data2'])]
    layers += _small_net(caffe)
    func = caffe.load(layers, format='v1')
    assert 'data' not in func.forwards and 'img' not in func.forwards
    prob, = func(inputs={'data': x}, outputs=['prob'])
    assert prob.shape == (1, 3)


def test_the_file_bytes_are_not_kept(caffe, monkeypatch):
    # Blobs are views of the file's bytes; once the links are built,
    # nothing may keep those bytes alive (a 500 MB model would double).
    import gc
    import weakref
    from dynet.links.caffe import _net

    class Buffer(bytearray):
        pass   # unlike bytes, it can be referenced weakly

    buffers = []

    def read_net(path):
        with open(path, 'rb') as f:
            data = Buffer(f.read())
        buffers.append(weakref.ref(data))
        return _net.parse_net(data, repr(path))

    monkeypatch.setattr(_net, 'read_net', read_net)
    c = (3,)
    layers = _small_net(caffe) + [
        layer('conv2', 'Convolution', 'data', convolution_param={
            'kernel_size': [1], 'group': 2}, blobs=[
                caffe.uniform((4, 1, 1, 1), 5), caffe.uniform((4,), 6)]),
        layer('bn', 'BatchNorm', 'ip1', blobs=_bn_blobs([1] * 3, [2] * 3, 2)),
        layer('sc', 'Scale', 'bn', scale_param={'bias_term': True},
              blobs=[caffe.uniform(c, 7), caffe.uniform(c, 8)]),
        layer('bi', 'Bias', 'sc', blobs=[caffe.uniform(c, 9)]),
        layer('pr', 'PReLU', 'bi', blobs=[caffe.uniform(c, 10)]),
        layer('el', 'Eltwise', ['pr', 'bi'], eltwise_param={
            'coeff': [0.5, 2.0]}),
        layer('ex', 'Exp', 'el'), layer('lg', 'Log', 'ex'),
        layer('sl', 'Slice', 'lg', top=['s1', 's2'],
              slice_param={'slice_point': [1]}),
        layer('cat', 'Concat', ['s2', 's1']),
        layer('fl', 'Flatten', 'cat'),
        layer('rs', 'Reshape', 'fl',
              reshape_param={'shape': {'dim': [0, -1]}}),
        layer('ip2', 'InnerProduct', 'rs', inner_product_param={
            'num_output': 2, 'transpose': True},
            blobs=[caffe.uniform((3, 2), 11), caffe.uniform((2,), 12)]),
    ]
    func = caffe.load(layers)
    x = caffe.uniform((2, 2, 6, 6), 0)
    ip2, conv2 = func(inputs={'data': x}, outputs=['ip2', 'conv2'])
    assert ip2.shape == (2, 2) and conv2.shape == (2, 4, 6, 6)
    gc.collect()
    assert len(buffers) == 1
    assert buffers[0]() is None
