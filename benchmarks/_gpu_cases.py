"""The models, data and steps that ``gpu_models.py`` benchmarks.

Every model is written twice with the same layer names: once for dynet,
the way a Chainer v7 user writes it (links, ``F.*``, an optimizer with
``cleargrads``/``backward``/``update``), and once for PyTorch. The PyTorch
model is given the dynet model's initial weights (``load_dynet_state``),
and both get the same NumPy data, so the first steps compute the same
numbers in both frameworks; ``gpu_models.py`` compares them.

PyTorch is imported only by ``torch_modules()``, on first use.
"""
import functools
import importlib
import os
import types

import numpy

# The models are written against the Chainer v7 API, so the same code runs
# under dynet or, for the CPU comparison (model_step.py), under Chainer
# itself: DYNET_BENCH_API=chainer selects it.
chainer = importlib.import_module(os.environ.get('DYNET_BENCH_API', 'dynet'))

F = chainer.functions
L = chainer.links


# ---------------------------------------------------------------- dynet --

class MLP(chainer.Chain):
    """n_in - n_hidden - n_hidden - n_out, ReLU."""

    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(n_in, n_hidden)
            self.l2 = L.Linear(n_hidden, n_hidden)
            self.l3 = L.Linear(n_hidden, n_out)

    def forward(self, x):
        h = F.relu(self.l1(x))
        h = F.relu(self.l2(h))
        return self.l3(h)


class LeNet(chainer.Chain):
    """The architecture of examples/mnist/lenet.py (Caffe's LeNet: no
    activation after the convolutions)."""

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
        return self.fc2(h)


class ConvBNNet(chainer.Chain):
    """Blocks of conv3x3 (no bias) - BatchNorm - ReLU - 2x2 max pooling,
    then a linear classifier."""

    def __init__(self, channels, insize, n_out):
        super().__init__()
        self.n_blocks = len(channels)
        with self.init_scope():
            in_channels = 3
            for i, out_channels in enumerate(channels, 1):
                setattr(self, 'conv{}'.format(i), L.Convolution2D(
                    in_channels, out_channels, 3, 1, 1, nobias=True))
                setattr(self, 'bn{}'.format(i),
                        L.BatchNormalization(out_channels))
                in_channels = out_channels
            side = insize // 2 ** self.n_blocks
            self.fc = L.Linear(in_channels * side * side, n_out)

    def forward(self, x):
        h = x
        for i in range(1, self.n_blocks + 1):
            conv = getattr(self, 'conv{}'.format(i))
            bn = getattr(self, 'bn{}'.format(i))
            h = F.max_pooling_2d(F.relu(bn(conv(h))), 2, 2)
        return self.fc(h)


class BasicBlock(chainer.Chain):
    """ResNet basic block: two conv3x3-BN, identity or conv1x1-BN
    shortcut, ReLU after the sum."""

    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, out_channels, 3,
                                         stride, 1, nobias=True)
            self.bn1 = L.BatchNormalization(out_channels)
            self.conv2 = L.Convolution2D(out_channels, out_channels, 3, 1,
                                         1, nobias=True)
            self.bn2 = L.BatchNormalization(out_channels)
            self.projection = stride != 1 or in_channels != out_channels
            if self.projection:
                self.shortcut_conv = L.Convolution2D(
                    in_channels, out_channels, 1, stride, 0, nobias=True)
                self.shortcut_bn = L.BatchNormalization(out_channels)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        shortcut = self.shortcut_bn(self.shortcut_conv(x)) \
            if self.projection else x
        return F.relu(h + shortcut)


class ResNet18(chainer.Chain):
    """ResNet-18 for 32x32 (CIFAR) inputs: a conv3x3 stem without pooling,
    four stages of two basic blocks (strides 1, 2, 2, 2), global average
    pooling and a linear classifier."""

    def __init__(self, widths, n_out):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(3, widths[0], 3, 1, 1, nobias=True)
            self.bn1 = L.BatchNormalization(widths[0])
            in_channels = widths[0]
            for i, width in enumerate(widths):
                stride = 1 if i == 0 else 2
                setattr(self, 'stage{}'.format(i + 1), chainer.ChainList(
                    BasicBlock(in_channels, width, stride),
                    BasicBlock(width, width, 1)))
                in_channels = width
            self.fc = L.Linear(in_channels, n_out)
        self.n_stages = len(widths)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        for i in range(1, self.n_stages + 1):
            for block in getattr(self, 'stage{}'.format(i)):
                h = block(h)
        return self.fc(F.mean(h, axis=(2, 3)))


class RNNLM(chainer.Chain):
    """Word-level language model of Chainer's PTB example, without dropout
    (so that both frameworks compute the same numbers): EmbedID, two
    L.LSTM links (stateful, one time step per call), Linear."""

    def __init__(self, n_vocab, n_units):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units)
            self.l1 = L.LSTM(n_units, n_units)
            self.l2 = L.LSTM(n_units, n_units)
            self.l3 = L.Linear(n_units, n_vocab)

    def reset_state(self):
        self.l1.reset_state()
        self.l2.reset_state()

    def forward(self, x):
        h = self.embed(x)
        h = self.l1(h)
        h = self.l2(h)
        return self.l3(h)


def _vgg_layout(widths):
    """[(name, in_channels, out_channels, last_in_block)] of VGG-16."""
    layout = []
    in_channels = 3
    for block, (width, depth) in enumerate(zip(widths, (2, 2, 3, 3, 3)), 1):
        for i in range(1, depth + 1):
            layout.append(('conv{}_{}'.format(block, i), in_channels, width,
                           i == depth))
            in_channels = width
    return layout


class VGG16(chainer.Chain):
    """VGG-16 (configuration D) with the layer names of L.VGG16Layers;
    ``widths``, ``n_fc`` and ``insize`` shrink it for smoke runs. Returns
    the fc8 class scores."""

    def __init__(self, widths, n_fc, n_out, insize):
        super().__init__()
        self.layout = _vgg_layout(widths)
        with self.init_scope():
            for name, in_channels, out_channels, _ in self.layout:
                setattr(self, name, L.Convolution2D(
                    in_channels, out_channels, 3, 1, 1))
            side = insize // 32
            self.fc6 = L.Linear(widths[-1] * side * side, n_fc)
            self.fc7 = L.Linear(n_fc, n_fc)
            self.fc8 = L.Linear(n_fc, n_out)

    def forward(self, x):
        h = x
        for name, _, _, last_in_block in self.layout:
            h = F.relu(getattr(self, name)(h))
            if last_in_block:
                h = F.max_pooling_2d(h, 2, 2)
        h = F.dropout(F.relu(self.fc6(h)), 0.5)
        h = F.dropout(F.relu(self.fc7(h)), 0.5)
        return self.fc8(h)


# -------------------------------------------------------------- PyTorch --

@functools.lru_cache(maxsize=None)
def torch_modules():
    """Imports PyTorch and returns a namespace holding ``torch`` and the
    PyTorch versions of the models above (same attribute names, so the
    parameter names map one to one)."""
    import torch
    nn = torch.nn

    class TorchMLP(nn.Module):
        def __init__(self, n_in, n_hidden, n_out):
            super().__init__()
            self.l1 = nn.Linear(n_in, n_hidden)
            self.l2 = nn.Linear(n_hidden, n_hidden)
            self.l3 = nn.Linear(n_hidden, n_out)

        def forward(self, x):
            h = torch.relu(self.l1(x))
            h = torch.relu(self.l2(h))
            return self.l3(h)

    class TorchLeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 20, 5)
            self.conv2 = nn.Conv2d(20, 50, 5)
            self.fc1 = nn.Linear(800, 500)
            self.fc2 = nn.Linear(500, 10)

        def forward(self, x):
            h = nn.functional.max_pool2d(self.conv1(x), 2, 2)
            h = nn.functional.max_pool2d(self.conv2(h), 2, 2)
            h = torch.relu(self.fc1(h.flatten(1)))
            return self.fc2(h)

    def batch_norm(channels):
        # Chainer's default eps (2e-5) instead of PyTorch's 1e-5.
        return nn.BatchNorm2d(channels, eps=2e-5)

    class TorchConvBNNet(nn.Module):
        def __init__(self, channels, insize, n_out):
            super().__init__()
            self.n_blocks = len(channels)
            in_channels = 3
            for i, out_channels in enumerate(channels, 1):
                setattr(self, 'conv{}'.format(i), nn.Conv2d(
                    in_channels, out_channels, 3, 1, 1, bias=False))
                setattr(self, 'bn{}'.format(i), batch_norm(out_channels))
                in_channels = out_channels
            side = insize // 2 ** self.n_blocks
            self.fc = nn.Linear(in_channels * side * side, n_out)

        def forward(self, x):
            h = x
            for i in range(1, self.n_blocks + 1):
                conv = getattr(self, 'conv{}'.format(i))
                bn = getattr(self, 'bn{}'.format(i))
                h = nn.functional.max_pool2d(torch.relu(bn(conv(h))), 2, 2)
            return self.fc(h.flatten(1))

    class TorchBasicBlock(nn.Module):
        def __init__(self, in_channels, out_channels, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1,
                                   bias=False)
            self.bn1 = batch_norm(out_channels)
            self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1,
                                   bias=False)
            self.bn2 = batch_norm(out_channels)
            self.projection = stride != 1 or in_channels != out_channels
            if self.projection:
                self.shortcut_conv = nn.Conv2d(in_channels, out_channels, 1,
                                               stride, 0, bias=False)
                self.shortcut_bn = batch_norm(out_channels)

        def forward(self, x):
            h = torch.relu(self.bn1(self.conv1(x)))
            h = self.bn2(self.conv2(h))
            shortcut = self.shortcut_bn(self.shortcut_conv(x)) \
                if self.projection else x
            return torch.relu(h + shortcut)

    class TorchResNet18(nn.Module):
        def __init__(self, widths, n_out):
            super().__init__()
            self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
            self.bn1 = batch_norm(widths[0])
            in_channels = widths[0]
            for i, width in enumerate(widths):
                stride = 1 if i == 0 else 2
                setattr(self, 'stage{}'.format(i + 1), nn.ModuleList([
                    TorchBasicBlock(in_channels, width, stride),
                    TorchBasicBlock(width, width, 1)]))
                in_channels = width
            self.fc = nn.Linear(in_channels, n_out)
            self.n_stages = len(widths)

        def forward(self, x):
            h = torch.relu(self.bn1(self.conv1(x)))
            for i in range(1, self.n_stages + 1):
                for block in getattr(self, 'stage{}'.format(i)):
                    h = block(h)
            return self.fc(h.mean(dim=(2, 3)))

    class TorchRNNLM(nn.Module):
        """Two nn.LSTMCell run one time step per call, keeping their state
        between calls like L.LSTM does."""

        def __init__(self, n_vocab, n_units):
            super().__init__()
            self.embed = nn.Embedding(n_vocab, n_units)
            self.l1 = nn.LSTMCell(n_units, n_units)
            self.l2 = nn.LSTMCell(n_units, n_units)
            self.l3 = nn.Linear(n_units, n_vocab)
            # L.LSTM has one bias per gate, nn.LSTMCell two (bias_ih and
            # bias_hh). bias_hh stays zero and out of training, or the
            # effective bias would learn twice as fast as in dynet.
            for cell in (self.l1, self.l2):
                cell.bias_hh.requires_grad_(False)
            self.state1 = self.state2 = None

        def detach_state(self):
            """Truncates backpropagation through time."""
            self.state1 = tuple(s.detach() for s in self.state1)
            self.state2 = tuple(s.detach() for s in self.state2)

        def forward(self, x):
            h = self.embed(x)
            self.state1 = self.l1(h, self.state1)
            self.state2 = self.l2(self.state1[0], self.state2)
            return self.l3(self.state2[0])

    class TorchVGG16(nn.Module):
        def __init__(self, widths, n_fc, n_out, insize):
            super().__init__()
            self.layout = _vgg_layout(widths)
            for name, in_channels, out_channels, _ in self.layout:
                setattr(self, name, nn.Conv2d(in_channels, out_channels, 3,
                                              1, 1))
            side = insize // 32
            self.fc6 = nn.Linear(widths[-1] * side * side, n_fc)
            self.fc7 = nn.Linear(n_fc, n_fc)
            self.fc8 = nn.Linear(n_fc, n_out)
            self.dropout = nn.Dropout(0.5)

        def forward(self, x):
            h = x
            for name, _, _, last_in_block in self.layout:
                h = torch.relu(getattr(self, name)(h))
                if last_in_block:
                    h = nn.functional.max_pool2d(h, 2, 2)
            h = self.dropout(torch.relu(self.fc6(h.flatten(1))))
            h = self.dropout(torch.relu(self.fc7(h)))
            return self.fc8(h)

    return types.SimpleNamespace(
        torch=torch, MLP=TorchMLP, LeNet=TorchLeNet, ConvBNNet=TorchConvBNNet,
        ResNet18=TorchResNet18, RNNLM=TorchRNNLM, VGG16=TorchVGG16)


# ------------------------------------------------- dynet -> PyTorch state --

_TORCH_LEAF_NAMES = {'W': 'weight', 'b': 'bias', 'gamma': 'weight',
                     'beta': 'bias', 'avg_mean': 'running_mean',
                     'avg_var': 'running_var'}

# L.LSTM's 'upward' (input) and 'lateral' (recurrent) Linear links and the
# nn.LSTMCell tensors they become.
_LSTM_NAMES = {('upward', 'W'): 'weight_ih', ('upward', 'b'): 'bias_ih',
               ('lateral', 'W'): 'weight_hh'}


def dynet_state(model):
    """Copies of the model's parameters and persistent values, keyed as
    the NPZ serializer names them ('l1/W', 'bn1/avg_mean', ...)."""
    serializer = chainer.serializers.DictionarySerializer()
    serializer.save(model)
    return {key: numpy.array(chainer.backend.CpuDevice().send(value))
            for key, value in serializer.target.items()}


def _torch_gate_order(array):
    """Reorders the 4N rows of an L.LSTM weight or bias for nn.LSTMCell.

    dynet (like Chainer) interleaves the gates: row ``4 k + g`` is gate
    ``g`` of unit ``k``, in the order (cell input a, input i, forget f,
    output o). PyTorch stacks them in blocks: rows ``g N .. g N + N - 1``
    are gate ``g`` of every unit, in the order (i, f, a, o).
    """
    n_units = array.shape[0] // 4
    by_unit = array.reshape((n_units, 4) + array.shape[1:])
    by_gate = numpy.swapaxes(by_unit[:, [1, 2, 0, 3]], 0, 1)
    return numpy.ascontiguousarray(by_gate).reshape(array.shape)


def _torch_key(key):
    """dynet serializer key -> (PyTorch state_dict key, needs gate
    reordering), or None for values PyTorch has no counterpart of."""
    parts = key.split('/')
    if parts[-1] == 'N':  # BatchNormalization's update count
        return None
    if len(parts) >= 3 and tuple(parts[-2:]) in _LSTM_NAMES:
        return '.'.join(parts[:-2] + [_LSTM_NAMES[tuple(parts[-2:])]]), True
    if parts[-1] not in _TORCH_LEAF_NAMES:
        raise KeyError('no PyTorch name for dynet parameter {!r}'.format(key))
    return '.'.join(parts[:-1] + [_TORCH_LEAF_NAMES[parts[-1]]]), False


def load_dynet_state(torch_model, state):
    """Loads ``dynet_state(model)`` into the matching PyTorch model (on the
    CPU, before it is moved). Every tensor of the PyTorch model must get a
    value, except BatchNorm's ``num_batches_tracked`` and nn.LSTMCell's
    ``bias_hh`` (L.LSTM has one bias; this one is set to zero)."""
    torch = torch_modules().torch
    targets = torch_model.state_dict()
    new_state = {}
    for key, value in state.items():
        mapped = _torch_key(key)
        if mapped is None:
            continue
        torch_key, reorder_gates = mapped
        if torch_key not in targets:
            raise KeyError('dynet parameter {!r} maps to {!r}, which the '
                           'PyTorch model does not have'.format(key,
                                                                torch_key))
        if reorder_gates:
            value = _torch_gate_order(value)
        if tuple(targets[torch_key].shape) != value.shape:
            raise ValueError('shape mismatch for {!r}: dynet {} vs PyTorch '
                             '{}'.format(key, value.shape,
                                         tuple(targets[torch_key].shape)))
        new_state[torch_key] = torch.from_numpy(value)
    for torch_key, target in targets.items():
        if torch_key in new_state:
            continue
        if torch_key.endswith('num_batches_tracked'):
            new_state[torch_key] = target
        elif torch_key.endswith('bias_hh'):
            new_state[torch_key] = torch.zeros_like(target)
        else:
            raise KeyError('PyTorch tensor {!r} gets no value from the dynet '
                           'model'.format(torch_key))
    torch_model.load_state_dict(new_state, strict=True)


# ------------------------------------------------------------- families --

class ClassifierFamily:
    """A classifier trained with softmax cross entropy on random inputs
    and labels; one step is cleargrads, forward, backward, update.

    ``full`` and ``quick`` are the configurations of a real and a smoke
    run: ``{'model': keyword arguments of the model, 'input_shape': shape
    of one sample, 'n_classes': number of labels}``.
    """

    kind = 'train'
    unit = 'samples'

    def __init__(self, title, model_name, full, quick, optimizer):
        self.title = title
        self.model_name = model_name
        self.full = full
        self.quick = quick
        self.optimizer = optimizer       # ('sgd', lr) or ('momentum', lr)

    def config(self, quick):
        return self.quick if quick else self.full

    def samples_per_step(self, batch, config):
        return batch

    def make_data(self, rng, batch, config):
        shape = (batch,) + config['input_shape']
        x = rng.uniform(-1, 1, shape).astype(numpy.float32)
        t = rng.randint(0, config['n_classes'], batch).astype(numpy.int32)
        return {'x': x, 't': t}

    def dynet_model(self, config):
        return globals()[self.model_name](**config['model'])

    def torch_model(self, config):
        return getattr(torch_modules(), self.model_name)(**config['model'])

    def dynet_optimizer(self, model):
        name, lr = self.optimizer
        optimizer = chainer.optimizers.SGD(lr=lr) if name == 'sgd' else \
            chainer.optimizers.MomentumSGD(lr=lr, momentum=0.9)
        optimizer.setup(model)
        return optimizer

    def torch_optimizer(self, model):
        torch = torch_modules().torch
        name, lr = self.optimizer
        momentum = 0.9 if name == 'momentum' else 0
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)

    def dynet_step(self, model, optimizer, data):
        x, t = data['x'], data['t']

        def step():
            model.cleargrads()
            loss = F.softmax_cross_entropy(model(x), t)
            loss.backward()
            optimizer.update()
            return loss
        return step

    def torch_step(self, model, optimizer, data):
        torch = torch_modules().torch
        x, t = data['x'], data['t'].long()

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(x), t)
            loss.backward()
            optimizer.step()
            return loss
        return step


class LSTMFamily:
    """Truncated-BPTT language model step as in Chainer's PTB example: the
    loss summed over ``seq`` time steps, cleargrads, backward, cut the
    graph (unchain_backward / detach), gradient clipping at norm 5, SGD
    with lr 1. The LSTM state carries over from one step to the next."""

    kind = 'train'
    unit = 'tokens'
    title = 'LSTM LM (2x L.LSTM vs nn.LSTMCell), SGD'

    def __init__(self, full, quick):
        self.full = full    # {'n_vocab', 'n_units', 'seq'}
        self.quick = quick

    def config(self, quick):
        return self.quick if quick else self.full

    def samples_per_step(self, batch, config):
        return batch * config['seq']

    def make_data(self, rng, batch, config):
        words = rng.randint(0, config['n_vocab'],
                            (config['seq'] + 1, batch))
        return {'words': words.astype(numpy.int32)}

    def dynet_model(self, config):
        return RNNLM(config['n_vocab'], config['n_units'])

    def torch_model(self, config):
        return torch_modules().RNNLM(config['n_vocab'], config['n_units'])

    def dynet_optimizer(self, model):
        optimizer = chainer.optimizers.SGD(lr=1.0)
        optimizer.setup(model)
        optimizer.add_hook(chainer.optimizer_hooks.GradientClipping(5.0))
        return optimizer

    def torch_optimizer(self, model):
        return torch_modules().torch.optim.SGD(model.parameters(), lr=1.0)

    def dynet_step(self, model, optimizer, data):
        words = data['words']
        seq = len(words) - 1

        def step():
            loss = 0
            for i in range(seq):
                loss += F.softmax_cross_entropy(model(words[i]), words[i + 1])
            model.cleargrads()
            loss.backward()
            loss.unchain_backward()
            optimizer.update()
            return loss
        return step

    def torch_step(self, model, optimizer, data):
        torch = torch_modules().torch
        words = data['words'].long()
        seq = len(words) - 1
        parameters = list(model.parameters())

        def step():
            loss = 0
            for i in range(seq):
                loss = loss + torch.nn.functional.cross_entropy(
                    model(words[i]), words[i + 1])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            model.detach_state()
            torch.nn.utils.clip_grad_norm_(parameters, 5.0)
            optimizer.step()
            return loss
        return step


class InferenceFamily:
    """Forward pass and softmax on random images, in test mode without a
    graph: ``no_backprop_mode`` + ``using_config('train', False)`` in dynet,
    ``torch.no_grad()`` + ``eval()`` in PyTorch. The step returns the class
    scores (the check compares them; the probabilities are computed and
    dropped)."""

    kind = 'inference'
    unit = 'samples'

    def __init__(self, title, full, quick):
        self.title = title
        self.full = full    # keyword arguments of VGG16
        self.quick = quick

    def config(self, quick):
        return self.quick if quick else self.full

    def samples_per_step(self, batch, config):
        return batch

    def make_data(self, rng, batch, config):
        side = config['insize']
        x = rng.uniform(-1, 1, (batch, 3, side, side)).astype(numpy.float32)
        return {'x': x}

    def dynet_model(self, config):
        return VGG16(**config)

    def torch_model(self, config):
        return torch_modules().VGG16(**config)

    def dynet_optimizer(self, model):
        return None

    def torch_optimizer(self, model):
        return None

    def dynet_step(self, model, optimizer, data):
        x = data['x']

        def step():
            with chainer.no_backprop_mode(), \
                    chainer.using_config('train', False):
                scores = model(x)
                F.softmax(scores)
            return scores
        return step

    def torch_step(self, model, optimizer, data):
        torch = torch_modules().torch
        x = data['x']
        model.eval()

        def step():
            with torch.no_grad():
                scores = model(x)
                torch.softmax(scores, dim=1)
            return scores
        return step


MLP_FAMILY = ClassifierFamily(
    'MLP 784-1000-1000-10, SGD', 'MLP',
    full={'model': {'n_in': 784, 'n_hidden': 1000, 'n_out': 10},
          'input_shape': (784,), 'n_classes': 10},
    quick={'model': {'n_in': 12, 'n_hidden': 16, 'n_out': 10},
           'input_shape': (12,), 'n_classes': 10},
    optimizer=('sgd', 0.01))

_LENET_CONFIG = {'model': {}, 'input_shape': (1, 28, 28), 'n_classes': 10}
LENET_FAMILY = ClassifierFamily(
    'LeNet (examples/mnist), SGD', 'LeNet', full=_LENET_CONFIG,
    quick=_LENET_CONFIG, optimizer=('sgd', 0.01))

CONVBN_FAMILY = ClassifierFamily(
    'Conv-BN net (3 blocks, 32x32), MomentumSGD', 'ConvBNNet',
    full={'model': {'channels': (64, 128, 256), 'insize': 32, 'n_out': 10},
          'input_shape': (3, 32, 32), 'n_classes': 10},
    quick={'model': {'channels': (4, 8, 8), 'insize': 16, 'n_out': 10},
           'input_shape': (3, 16, 16), 'n_classes': 10},
    optimizer=('momentum', 0.01))

RESNET_FAMILY = ClassifierFamily(
    'ResNet-18 (CIFAR, 32x32), MomentumSGD', 'ResNet18',
    full={'model': {'widths': (64, 128, 256, 512), 'n_out': 10},
          'input_shape': (3, 32, 32), 'n_classes': 10},
    quick={'model': {'widths': (4, 8, 8, 8), 'n_out': 10},
           'input_shape': (3, 16, 16), 'n_classes': 10},
    optimizer=('momentum', 0.01))

LSTM_FAMILY = LSTMFamily(
    full={'n_vocab': 10000, 'n_units': 650, 'seq': 35},
    quick={'n_vocab': 50, 'n_units': 8, 'seq': 3})

# The sizes that issue 6 prescribes for the CPU comparison with Chainer and
# PyTorch (benchmarks/run_models.py).
CONVBN_SMALL_FAMILY = ClassifierFamily(
    'Conv-BN net 10-20-40-80 (32x32), MomentumSGD', 'ConvBNNet',
    full={'model': {'channels': (10, 20, 40, 80), 'insize': 32, 'n_out': 10},
          'input_shape': (3, 32, 32), 'n_classes': 10},
    quick={'model': {'channels': (4, 8), 'insize': 16, 'n_out': 10},
           'input_shape': (3, 16, 16), 'n_classes': 10},
    optimizer=('momentum', 0.01))

RESNET_SMALL_FAMILY = ClassifierFamily(
    'small ResNet 16-32-64-128-256 (32x32), MomentumSGD', 'ResNet18',
    full={'model': {'widths': (16, 32, 64, 128, 256), 'n_out': 10},
          'input_shape': (3, 32, 32), 'n_classes': 10},
    quick={'model': {'widths': (4, 8), 'n_out': 10},
           'input_shape': (3, 16, 16), 'n_classes': 10},
    optimizer=('momentum', 0.01))

LSTM_SMALL_FAMILY = LSTMFamily(
    full={'n_vocab': 1000, 'n_units': 200, 'seq': 35},
    quick={'n_vocab': 50, 'n_units': 8, 'seq': 3})

VGG_FAMILY = InferenceFamily(
    'VGG-16 inference (224x224)',
    full={'widths': (64, 128, 256, 512, 512), 'n_fc': 4096, 'n_out': 1000,
          'insize': 224},
    quick={'widths': (4, 8, 8, 16, 16), 'n_fc': 16, 'n_out': 10,
           'insize': 32})


class Case:
    """One row of the table: a model family at one batch size."""

    def __init__(self, name, family, batch, quick_batch):
        self.name = name
        self.family = family
        self.batch = batch
        self.quick_batch = quick_batch


CASES = [
    Case('mlp-b100', MLP_FAMILY, 100, 4),
    Case('mlp-b1000', MLP_FAMILY, 1000, 8),
    Case('lenet-b64', LENET_FAMILY, 64, 2),
    Case('convbn-b256', CONVBN_FAMILY, 256, 2),
    Case('resnet18-b32', RESNET_FAMILY, 32, 2),
    Case('resnet18-b256', RESNET_FAMILY, 256, 3),
    Case('lstm-b20', LSTM_FAMILY, 20, 2),
    Case('convbn-small-b32', CONVBN_SMALL_FAMILY, 32, 2),
    Case('resnet-small-b32', RESNET_SMALL_FAMILY, 32, 2),
    Case('lstm-small-b20', LSTM_SMALL_FAMILY, 20, 2),
    Case('vgg16-infer-b1', VGG_FAMILY, 1, 1),
    Case('vgg16-infer-b32', VGG_FAMILY, 32, 2),
]
