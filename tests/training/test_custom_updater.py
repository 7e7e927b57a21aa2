"""Scenario 3 of WORKLOADS.md: a base network, several heads, one
optimizer each, in a StandardUpdater subclass."""
import numpy

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training
from dynet.dataset import concat_examples


class MultiHeadUpdater(training.StandardUpdater):

    def __init__(self, iterator, base, heads, base_optimizer,
                 head_optimizers, converter=concat_examples, device=None):
        optimizers_ = {'main': base_optimizer}
        for i, opt in enumerate(head_optimizers):
            optimizers_['head{}'.format(i)] = opt
        super().__init__(iterator, optimizers_, converter=converter,
                         device=device)
        self.base = base
        self.heads = heads

    def update_core(self):
        batch = self._iterators['main'].next()
        x, t = self.converter(batch, self.device)
        h = F.relu(self.base(x))
        losses = [F.sum((head(h) - t[:, i:i + 1]) ** 2) / len(x)
                  for i, head in enumerate(self.heads)]
        for opt in self._optimizers.values():
            opt.target.cleargrads()
        for loss in losses:
            loss.backward()
        for opt in self._optimizers.values():
            opt.update()
        dynet.report({'loss': sum(float(loss.array) for loss in losses)})


def test_multi_head_training(tmp_path):
    rng = numpy.random.RandomState(0)
    x = rng.randn(32, 3).astype(numpy.float32)
    t = numpy.stack([x.sum(axis=1), x[:, 0] - x[:, 1]],
                    axis=1).astype(numpy.float32)
    base = L.Linear(3, 16)
    heads = [L.Linear(16, 1), L.Linear(16, 1)]
    base_opt = optimizers.SGD(0.05).setup(base)
    head_opts = [optimizers.SGD(0.05).setup(h) for h in heads]
    iterator = iterators.SerialIterator(list(zip(x, t)), 8)
    updater = MultiHeadUpdater(iterator, base, heads, base_opt, head_opts)
    trainer = training.Trainer(updater, (40, 'epoch'),
                               out=str(tmp_path / 'out'))
    losses = []
    trainer.extend(lambda tr: losses.append(tr.observation['loss']),
                   name='record', trigger=(1, 'epoch'))
    before = base.W.array.copy()
    trainer.run()
    assert updater.iteration == 160
    assert not numpy.array_equal(before, base.W.array)
    # The base accumulated gradients from both heads and improved.
    assert losses[-1] < losses[0] / 3
    assert set(updater.get_all_optimizers()) == {'main', 'head0', 'head1'}
