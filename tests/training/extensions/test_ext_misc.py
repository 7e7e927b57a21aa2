import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, serializers, training
from dynet.training import extensions


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1, initialW=numpy.zeros((1, 2), 'f'))
        self.calls = 0

    def forward(self, x, t):
        self.calls += 1
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss, 'correct': self.calls,
                      'total': 2}, self)
        return loss


def _trainer(out, stop=(4, 'iteration'), lr=0.1, t_scale=1.0):
    rng = numpy.random.RandomState(0)
    x = rng.randn(8, 2).astype(numpy.float32)
    t = (x @ numpy.array([[2.0], [1.5]], numpy.float32) + 0.5) * t_scale
    model = Regressor()
    optimizer = optimizers.SGD(lr).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    return training.Trainer(updater, stop, out=str(out)), model


class Grab(training.Extension):
    priority = training.PRIORITY_READER

    def __init__(self):
        self.observations = []

    def __call__(self, trainer):
        self.observations.append(dict(trainer.observation))


@pytest.mark.filterwarnings('ignore::RuntimeWarning')
def test_fail_on_nonnumber_names_the_parameter(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(50, 'iteration'), lr=1e3,
                          t_scale=1e30)
    trainer.extend(extensions.FailOnNonNumber())
    with pytest.raises(RuntimeError, match=r"'/fc/(W|b)'.*'main'"):
        trainer.run(show_loop_exception_msg=False)
    assert trainer.updater.iteration < 50


def test_fail_on_nonnumber_is_silent_when_finite(tmp_path):
    trainer, _ = _trainer(tmp_path)
    trainer.extend(extensions.FailOnNonNumber())
    trainer.run()
    assert trainer.updater.iteration == 4


def test_micro_average(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(6, 'iteration'))
    trainer.extend(extensions.MicroAverage(
        'main/correct', 'main/total', 'main/ratio',
        trigger=(3, 'iteration')))
    grab = Grab()
    trainer.extend(grab)
    trainer.run()
    ratios = [o.get('main/ratio') for o in grab.observations]
    assert ratios == [None, None, (1 + 2 + 3) / 6, None, None,
                      (4 + 5 + 6) / 6]
    assert extensions.MicroAverage('a', 'b', 'c').priority == \
        training.PRIORITY_EDITOR


def test_micro_average_serialize():
    ext = extensions.MicroAverage('a', 'b', 'c')
    ext._numerator, ext._denominator = 3.0, 7.0
    saver = serializers.DictionarySerializer()
    saver.save(ext)
    fresh = extensions.MicroAverage('a', 'b', 'c')
    serializers.NpzDeserializer(saver.target).load(fresh)
    assert (fresh._numerator, fresh._denominator) == (3.0, 7.0)
    # counts saved as integers (as Chainer does) load too
    fresh = extensions.MicroAverage('a', 'b', 'c')
    serializers.NpzDeserializer(
        {'_numerator': numpy.array(2), '_denominator': numpy.array(5)}
    ).load(fresh)
    assert (fresh._numerator, fresh._denominator) == (2.0, 5.0)


def test_observe_value_and_lr(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(2, 'epoch'))
    trainer.extend(extensions.observe_lr())
    trainer.extend(extensions.observe_value(
        'it', lambda t: t.updater.iteration), trigger=(1, 'iteration'))
    log = extensions.LogReport()
    trainer.extend(log)
    trainer.run()
    assert [e['lr'] for e in log.log] == [0.1, 0.1]
    assert [e['it'] for e in log.log] == [1.5, 3.5]
    ext = extensions.observe_value('k', lambda t: 0)
    assert ext.default_name == '_observe_value'
    assert ext.trigger == (1, 'epoch')
    assert ext.priority == training.PRIORITY_WRITER


def test_unchain_variables_cuts_kept_graphs(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(2, 'iteration'))
    kept = []
    trainer.extend(extensions.unchain_variables())
    trainer.extend(lambda t: kept.append(t.observation['main/loss']),
                   name='keep')
    with dynet.using_config('keep_graph_on_report', True):
        trainer.run()
    assert len(kept) == 2
    assert all(v.creator is None for v in kept)
    assert extensions.unchain_variables.priority == 0


def test_unchain_variables_does_nothing_without_kept_graphs():
    ext = extensions.unchain_variables()
    ext.initialize(None)
    assert ext.trigger(None) is False
    with dynet.using_config('keep_graph_on_report', True):
        assert ext.trigger(None) is False  # flag was off before
        assert ext.trigger(None) is True
