"""Whole models through export and load: an MLP, LeNet, a Conv-BN-ReLU
net with a residual connection, LSTMs; every supported opset."""
import numpy
import pytest

import dynet
import dynet.onnx
from dynet import functions as F
from dynet import links as L

pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')


def _randomize_statistics(model, seed=0):
    """Gives every BatchNormalization link non-trivial statistics and
    scales, as after training."""
    state = numpy.random.RandomState(seed)
    for link in model.links():
        if isinstance(link, L.BatchNormalization):
            size = link.avg_mean.shape
            link.avg_mean[...] = state.uniform(-1, 1, size)
            link.avg_var[...] = state.uniform(0.5, 2, size)
            link.gamma.array[...] = state.uniform(0.5, 2, size)
            link.beta.array[...] = state.uniform(-1, 1, size)


class MLP(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(6, 5)
            self.l2 = L.Linear(5, 5)
            self.l3 = L.Linear(5, 3)

    def forward(self, x):
        h = F.relu(self.l1(x))
        h = F.dropout(F.relu(self.l2(h)))
        return self.l3(h)


class LeNet(dynet.Chain):
    """The LeNet of examples/mnist: two conv + max-pool stages, two fully
    connected layers."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(1, 20, 5)
            self.conv2 = L.Convolution2D(20, 50, 5)
            self.fc1 = L.Linear(800, 500)
            self.fc2 = L.Linear(500, 10)

    def forward(self, x):
        h = F.max_pooling_2d(self.conv1(x), 2, 2)
        h = F.max_pooling_2d(self.conv2(h), 2, 2)
        h = F.relu(self.fc1(h))
        return F.softmax(self.fc2(h))


class ResidualBlock(dynet.Chain):

    def __init__(self, channels):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(channels, channels, 3, pad=1,
                                         nobias=True)
            self.bn1 = L.BatchNormalization(channels)
            self.conv2 = L.Convolution2D(channels, channels, 3, pad=1,
                                         nobias=True)
            self.bn2 = L.BatchNormalization(channels)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        return F.relu(h + x)


class TinyResNet(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(3, 4, 3, pad=1)
            self.bn = L.BatchNormalization(4)
            self.block = ResidualBlock(4)
            self.fc = L.Linear(4, 3)

    def forward(self, x):
        h = F.relu(self.bn(self.conv(x)))
        h = F.max_pooling_2d(self.block(h), 2)
        h = F.average_pooling_2d(h, h.shape[2:])
        return self.fc(h)


class LSTMSteps(dynet.Chain):
    """Two steps of L.LSTM (the first from a zero state)."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.lstm = L.LSTM(3, 4)
            self.out = L.Linear(4, 2)

    def forward(self, x1, x2):
        self.lstm.reset_state()
        self.lstm(x1)
        return self.out(self.lstm(x2))


class NStepLSTMNet(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.rnn = L.NStepLSTM(2, 3, 4, 0.0)

    def forward(self, x1, x2):
        hy, cy, ys = self.rnn(None, None, [x1, x2])
        return hy, cy, ys[0], ys[1]


def _input(*shape, seed=0):
    return numpy.random.RandomState(seed).uniform(
        -1, 1, shape).astype(numpy.float32)


def test_mlp(roundtrip):
    model = MLP()
    proto, loaded = roundtrip(model, (_input(4, 6),))
    ops = [n.op_type for n in proto.graph.node]
    assert ops == ['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']  # no Dropout
    assert [i.name for i in proto.graph.initializer] == [
        'l1.W', 'l1.b', 'l2.W', 'l2.b', 'l3.W', 'l3.b']


def test_lenet(roundtrip):
    model = LeNet()
    proto, loaded = roundtrip(model, (_input(2, 1, 28, 28),))
    ops = [n.op_type for n in proto.graph.node if n.op_type != 'Constant']
    assert ops == ['Conv', 'MaxPool', 'Conv', 'MaxPool', 'Reshape', 'Gemm',
                   'Relu', 'Gemm', 'Softmax']


def test_residual_conv_bn_relu(roundtrip):
    model = TinyResNet()
    _randomize_statistics(model)
    proto, loaded = roundtrip(model, (_input(2, 3, 6, 6),))
    assert [n.op_type for n in proto.graph.node].count(
        'BatchNormalization') == 3
    # The statistics come back as persistent arrays of the same links.
    numpy.testing.assert_array_equal(loaded.block.bn2.avg_var,
                                     model.block.bn2.avg_var)
    assert 'avg_mean' in loaded.bn._persistent
    assert sorted(p for p, _ in loaded.namedparams()) == sorted(
        p for p, _ in model.namedparams())


def test_shared_links(roundtrip, net):
    # One BatchNormalization (and one Linear) applied on two branches.
    model = net(lambda m, x, y: m.l(m.bn(x)) - m.l(m.bn(y)),
                bn=L.BatchNormalization(3), l=L.Linear(3, 2))
    _randomize_statistics(model)
    proto, loaded = roundtrip(model, (_input(2, 3), _input(2, 3, seed=1)))
    assert sorted(i.name for i in proto.graph.initializer) == [
        'bn.avg_mean', 'bn.avg_var', 'bn.beta', 'bn.gamma', 'l.W', 'l.b']


def test_lstm_steps(roundtrip):
    model = LSTMSteps()
    proto, _ = roundtrip(model, (_input(2, 3), _input(2, 3, seed=1)))
    assert 'Sigmoid' in [n.op_type for n in proto.graph.node]


def test_n_step_lstm(roundtrip):
    model = NStepLSTMNet()
    roundtrip(model, (_input(3, 3), _input(2, 3, seed=1)))


def test_batch_normalization_train_mode(roundtrip):
    model = TinyResNet()
    _randomize_statistics(model)
    before = model.bn.avg_mean.copy()
    proto, _ = roundtrip(model, (_input(2, 3, 6, 6),), train=True,
                         atol=1e-4)
    ops = [n.op_type for n in proto.graph.node]
    assert 'BatchNormalization' not in ops and 'ReduceMean' in ops
    # Exporting (not the reference run) leaves the statistics alone.
    mean = model.bn.avg_mean.copy()
    dynet.onnx.export(model, _input(2, 3, 6, 6), train=True)
    numpy.testing.assert_array_equal(model.bn.avg_mean, mean)
    assert not numpy.array_equal(before, mean)  # the reference run did


def test_dropout_train_mode(roundtrip, net):
    x = _input(3, 4)
    model = net(lambda m, x: F.dropout(x, 0.5))
    proto, _ = roundtrip(model, (x,), train=True, expected=(x,))
    assert [n.op_type for n in proto.graph.node
            if n.op_type != 'Constant'] == ['Dropout']


# A model using every operator whose ONNX form changes between opsets.
class OpsetSensitive(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(2, 3, 3, pad=1)
            self.bn = L.BatchNormalization(3)

    def forward(self, x):
        h = self.bn(self.conv(x))
        a = F.mean(h, axis=(2, 3))
        b = F.max(h, axis=3)
        c = F.sum(F.expand_dims(a, 1), axis=1)
        d = F.logsumexp(F.squeeze(b[:, :, :1]), axis=1)
        parts = F.split_axis(F.pad(b, ((0, 0), (0, 0), (1, 0)), 'constant'),
                             [2], axis=2)
        return F.softmax(c + F.expand_dims(d, 1)), parts[0], parts[1]


@pytest.mark.parametrize('opset', range(dynet.onnx.MINIMUM_OPSET_VERSION,
                                        dynet.onnx.MAXIMUM_OPSET_VERSION + 1))
def test_every_supported_opset(opset, roundtrip):
    model = OpsetSensitive()
    _randomize_statistics(model)
    proto, loaded = roundtrip(model, (_input(2, 2, 4, 5),),
                              opset_version=opset)
    assert [o.version for o in proto.opset_import] == [opset]
    assert loaded.opset_version == opset


def test_loaded_model_reads_the_original_npz(roundtrip, tmp_path):
    model = TinyResNet()
    _randomize_statistics(model)
    _, loaded = roundtrip(model, (_input(2, 3, 6, 6),))
    # Train the original a little further, save it, read it into the
    # loaded Chain: the same names, so the same values come back.
    for param in model.params():
        param.array += 0.25
    model.block.bn1.avg_mean += 1
    path = str(tmp_path / 'model.npz')
    dynet.serializers.save_npz(path, model)
    dynet.serializers.load_npz(path, loaded)
    x = _input(2, 3, 6, 6, seed=3)
    with dynet.using_config('train', False):
        numpy.testing.assert_allclose(loaded(x).array, model(x).array,
                                      rtol=1e-4, atol=1e-5)
