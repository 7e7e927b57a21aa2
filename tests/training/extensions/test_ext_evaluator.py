import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training
from dynet.training import extensions


class Recorder(dynet.Chain):
    """Reports the mean of x as 'loss' and records the config it ran
    under."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(1, 1, initialW=numpy.ones((1, 1), 'f'),
                               initial_bias=0)
        self.seen = []

    def forward(self, x):
        y = self.fc(x)
        self.seen.append((dynet.config.train, dynet.config.enable_backprop,
                          y.creator is None))
        loss = F.mean(y)
        dynet.report({'loss': loss, 'n': len(x)}, self)
        dynet.report({'child': F.sum(y)}, self.fc)
        return loss


def _data(n=5):
    return numpy.arange(n, dtype=numpy.float32).reshape(n, 1)


def test_evaluate_averages_batches_in_test_mode_without_backprop():
    model = Recorder()
    it = iterators.SerialIterator(_data(5), 2, repeat=False, shuffle=False)
    evaluator = extensions.Evaluator(it, model)
    result = evaluator()
    # batches [0, 1], [2, 3], [4]: mean of the per-batch means
    assert set(result) == {'main/loss', 'main/n', 'main/fc/child'}
    numpy.testing.assert_allclose(result['main/loss'],
                                  (0.5 + 2.5 + 4.0) / 3)
    numpy.testing.assert_allclose(result['main/n'], 5 / 3)
    assert model.seen == [(False, False, True)] * 3
    # the global configuration is back as it was
    assert dynet.config.train is True
    assert dynet.config.enable_backprop is True


def test_evaluate_resets_the_iterator_every_time():
    model = Recorder()
    it = iterators.SerialIterator(_data(4), 3, repeat=False, shuffle=False)
    evaluator = extensions.Evaluator(it, model)
    first = evaluator()
    second = evaluator()
    assert first == second
    assert len(model.seen) == 4


def test_evaluator_attributes_and_hooks():
    model = Recorder()
    it = iterators.SerialIterator(_data(4), 2, repeat=False, shuffle=False)
    hooked = []
    calls = []

    def eval_func(x):
        calls.append(x.shape)
        dynet.report({'loss': x.sum()}, model)

    evaluator = extensions.Evaluator(
        {'main': it}, {'main': model}, eval_hook=hooked.append,
        eval_func=eval_func)
    assert extensions.Evaluator.trigger == (1, 'epoch')
    assert extensions.Evaluator.priority == training.PRIORITY_WRITER
    assert evaluator.default_name == 'validation'
    assert evaluator.get_iterator('main') is it
    assert evaluator.get_target('main') is model
    assert evaluator.get_all_targets() == {'main': model}
    result = evaluator()
    assert hooked == [evaluator]
    assert calls == [(2, 1), (2, 1)]
    assert result == {'main/loss': pytest.approx((1 + 5) / 2)}
    assert model.seen == []


def test_repeating_iterator_is_refused():
    model = Recorder()
    it = iterators.SerialIterator(_data(4), 2, repeat=True)
    with pytest.raises(ValueError, match='repeat=False'):
        extensions.Evaluator(it, model)()


def test_subclass_may_override_evaluate():
    class Constant(extensions.Evaluator):
        def evaluate(self):
            return {'main/score': 7.0}

    ev = Constant(iterators.SerialIterator(_data(2), 1, repeat=False),
                  Recorder())
    assert ev() == {'main/score': 7.0}


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1, initialW=numpy.zeros((1, 2), 'f'))

    def forward(self, x, t):
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


def _trainer(tmp_path, stop=(2, 'epoch')):
    rng = numpy.random.RandomState(0)
    x = rng.randn(8, 2).astype(numpy.float32)
    t = x @ numpy.array([[2.0], [1.5]], numpy.float32) + 0.5
    data = list(zip(x, t))
    model = Regressor()
    optimizer = optimizers.SGD(0.1).setup(model)
    it = iterators.SerialIterator(data, 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    trainer = training.Trainer(updater, stop, out=str(tmp_path))
    valid = iterators.SerialIterator(data, 3, repeat=False, shuffle=False)
    return trainer, model, valid


def test_in_trainer_results_are_prefixed_with_the_extension_name(tmp_path):
    trainer, model, valid = _trainer(tmp_path)
    trainer.extend(extensions.Evaluator(valid, model))
    trainer.extend(extensions.Evaluator(valid, model), name='test')
    seen = []
    trainer.extend(lambda t: seen.append(dict(t.observation)),
                   name='look', trigger=(1, 'epoch'),
                   priority=training.PRIORITY_READER)
    trainer.run()
    assert len(seen) == 2
    for observation in seen:
        assert {'main/loss', 'validation/main/loss',
                'test/main/loss'} <= set(observation)
        assert observation['validation/main/loss'] == \
            observation['test/main/loss']
    # the last evaluation ran on the final parameters: check it by hand
    w = model.fc.W.array
    b = model.fc.b.array
    x = numpy.stack([d[0] for d in valid.dataset])
    t = numpy.stack([d[1] for d in valid.dataset])
    per_batch = [float(numpy.sum((x[i:i + 3] @ w.T + b - t[i:i + 3]) ** 2)
                       / len(x[i:i + 3])) for i in (0, 3, 6)]
    numpy.testing.assert_allclose(
        float(seen[-1]['validation/main/loss']), numpy.mean(per_batch),
        rtol=1e-5)


def test_progress_bar_and_device(capsys):
    model = Recorder()
    it = iterators.SerialIterator(_data(4), 2, repeat=False, shuffle=False)
    evaluator = extensions.Evaluator(it, model, device=-1,
                                     progress_bar=True)
    result = evaluator()
    assert result['main/loss'] == pytest.approx((0.5 + 2.5) / 2)
    out = capsys.readouterr().out
    assert out.count('validation [') == 2
    assert '100.00%' in out and '50.00%' in out
    assert out.endswith('\x1b[J')
