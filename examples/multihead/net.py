"""The multihead network, its updater and the save/restore helpers."""
import json
import os

import dynet
from dynet import serializers
import dynet.functions as F
import dynet.links as L
from dynet.training.updaters import StandardUpdater


class BaseCNN(dynet.Chain):
    """Two conv/pool stages and a fully connected layer: images of shape
    (in_channels, size, size) -> feature vectors of length ``features``."""

    def __init__(self, in_channels=1, size=28, channels=16, features=64):
        super().__init__()
        with self.init_scope():
            self.conv1 = L.Convolution2D(in_channels, channels, 3, pad=1)
            self.conv2 = L.Convolution2D(channels, 2 * channels, 3, pad=1)
            # explicit input size: a fresh model has all its parameters
            # before anything is loaded into it
            self.fc = L.Linear(2 * channels * (size // 4) ** 2, features)

    def forward(self, x):
        h = F.max_pooling_2d(F.relu(self.conv1(x)), 2, cover_all=False)
        h = F.max_pooling_2d(F.relu(self.conv2(h)), 2, cover_all=False)
        return F.relu(self.fc(h))


RESERVED = ('main', 'base')


class MultiHeadNet(dynet.Chain):
    """A BaseCNN followed by one linear classifier per label column.

    ``heads`` is a list of ``(name, n_classes)``; head ``i`` classifies
    column ``i`` of the label matrix and is the child link ``name``, so its
    parameters are saved as ``name/W`` and ``name/b``.
    """

    def __init__(self, heads, in_channels=1, size=28, channels=16,
                 features=64):
        super().__init__()
        self.head_names = []
        with self.init_scope():
            self.base = BaseCNN(in_channels, size, channels, features)
        for name, n_classes in heads:
            if (not name.isidentifier() or name in RESERVED or
                    hasattr(self, name)):
                raise ValueError('cannot use {!r} as a head name'.format(
                    name))
            self.add_link(name, L.Linear(features, n_classes))
            self.head_names.append(name)

    def heads(self):
        return [(name, self[name]) for name in self.head_names]

    def forward(self, x):
        """Scores of every head: a list of (N, n_classes) Variables."""
        h = self.base(x)
        return [head(h) for _, head in self.heads()]

    def losses(self, x, t):
        """One softmax cross entropy per head, head ``i`` against
        ``t[:, i]``. Reports ``loss`` and ``accuracy`` for each head (the
        head link is the observer) and the summed loss for the base."""
        if t.ndim != 2 or t.shape[1] != len(self.head_names):
            raise ValueError('{} heads, but labels of shape {}'.format(
                len(self.head_names), t.shape))
        losses = []
        for i, ((_, head), y) in enumerate(zip(self.heads(), self(x))):
            loss = F.softmax_cross_entropy(y, t[:, i])
            dynet.report({'loss': loss,
                          'accuracy': F.accuracy(y, t[:, i])}, head)
            losses.append(loss)
        dynet.report({'loss': sum(losses)}, self.base)
        return losses


class MultiHeadUpdater(StandardUpdater):
    """One optimizer for the base CNN (named 'main') and one per head
    (named after the head). Each head's loss is back-propagated on its own;
    the base's gradient is the sum of what every head sends back."""

    def __init__(self, iterator, model, base_optimizer, head_optimizers,
                 converter, device=None):
        optimizers = {'main': base_optimizer}
        optimizers.update(head_optimizers)
        super().__init__(iterator, optimizers, converter=converter,
                         device=device)
        self.model = model

    def update_core(self):
        iterator = self._iterators['main']
        x, t = self.converter(iterator.next(), self.input_device)
        losses = self.model.losses(x, t)
        self.model.cleargrads()
        for loss in losses:
            loss.backward()  # accumulates into the base's gradients
        for optimizer in self._optimizers.values():
            optimizer.update()
        if iterator.is_new_epoch:
            for optimizer in self._optimizers.values():
                optimizer.new_epoch(auto=True)


def save_model(model, config, directory):
    """Writes ``model.npz`` (the parameters, by name) and ``model.json``
    (what is needed to build the same model again)."""
    serializers.save_npz(os.path.join(directory, 'model.npz'), model)
    with open(os.path.join(directory, 'model.json'), 'w') as f:
        json.dump(config, f, indent=1)


def build_model(config):
    return MultiHeadNet([tuple(h) for h in config['heads']],
                        in_channels=3 if config['rgb'] else 1,
                        size=config['size'], channels=config['channels'],
                        features=config['features'])


class RestoreError(Exception):
    pass


def restore(path, model):
    """Loads the parameters saved in ``path`` into ``model`` by name.

    Raises RestoreError, naming the parameter, when the file lacks one of
    the model's parameters or stores it with another shape. Nothing in the
    model is changed in that case.
    """
    try:
        serializers.load_npz(path, model)
    except (KeyError, ValueError, TypeError) as e:
        raise RestoreError('{} does not fit this model: {}'.format(
            path, e)) from e
