import os

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
            self.fc = L.Linear(2, 1)
        self.flags = []

    def forward(self, x, t):
        self.flags.append(dynet.config.keep_graph_on_report)
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


def _trainer(out, stop=(3, 'iteration')):
    data = list(zip(numpy.ones((8, 2), 'f'), numpy.ones((8, 1), 'f')))
    model = Regressor()
    optimizer = optimizers.SGD(0.1).setup(model)
    it = iterators.SerialIterator(data, 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    return training.Trainer(updater, stop, out=str(out)), model


def test_dumps_the_graph_once_and_restores_the_flag(tmp_path):
    trainer, model = _trainer(tmp_path)
    seen = []
    trainer.extend(lambda t: seen.append(
        t.observation['main/loss'].creator is not None), name='look')
    ext = extensions.dump_graph('main/loss')
    assert isinstance(ext, extensions.DumpGraph)
    assert ext.default_name == 'dump_graph'
    trainer.extend(ext)
    assert dynet.config.keep_graph_on_report is False
    trainer.run()
    # the graph is kept for the first iteration only
    assert model.flags == [True, False, False]
    assert seen == [True, False, False]
    assert dynet.config.keep_graph_on_report is False
    assert 'keep_graph_on_report' not in dynet.config.__dict__
    with open(os.path.join(str(tmp_path), 'cg.dot')) as f:
        text = f.read()
    assert text.startswith('digraph')
    assert '->' in text and 'octagon' in text and '#6495ED' in text


def test_custom_filename_styles_and_serialize(tmp_path):
    trainer, _ = _trainer(tmp_path, stop=(1, 'iteration'))
    ext = extensions.DumpGraph('main/loss', filename='graph.dot',
                               variable_style={'shape': 'box'},
                               function_style={'shape': 'ellipse'})
    trainer.extend(ext)
    trainer.run()
    with open(os.path.join(str(tmp_path), 'graph.dot')) as f:
        text = f.read()
    assert 'box' in text and 'ellipse' in text and 'octagon' not in text
    saver = serializers.DictionarySerializer()
    saver.save(ext)
    fresh = extensions.DumpGraph('main/loss')
    serializers.NpzDeserializer(saver.target).load(fresh)
    # already dumped: a resumed training does not keep graphs or dump again
    fresh.initialize(None)
    assert dynet.config.keep_graph_on_report is False
    assert fresh.trigger(None) is False


def test_missing_key_raises_and_flag_is_restored(tmp_path):
    trainer, _ = _trainer(tmp_path)
    trainer.extend(extensions.DumpGraph('main/nothing'))
    with pytest.raises(KeyError, match='main/nothing'):
        trainer.run(show_loop_exception_msg=False)
    assert dynet.config.keep_graph_on_report is False
    assert 'keep_graph_on_report' not in dynet.config.__dict__


def test_flag_set_by_the_user_is_kept(tmp_path):
    trainer, model = _trainer(tmp_path)
    trainer.extend(extensions.DumpGraph('main/loss'))
    with dynet.using_config('keep_graph_on_report', True):
        trainer.run()
        assert dynet.config.keep_graph_on_report is True
    assert model.flags == [True, True, True]
