import json
import os
import subprocess
import sys
import warnings

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, serializers, training
from dynet.training import extensions

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(2, 3)
            self.l2 = L.Linear(3, 1)

    def forward(self, x, t):
        loss = F.sum((self.l2(self.l1(x)) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


def _trainer(out, stop=(2, 'epoch')):
    rng = numpy.random.RandomState(0)
    x = rng.randn(8, 2).astype(numpy.float32)
    t = x @ numpy.array([[2.0], [1.5]], numpy.float32) + 0.5
    model = Regressor()
    optimizer = optimizers.SGD(0.01).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    return training.Trainer(updater, stop, out=str(out)), model


def _is_png(path):
    with open(path, 'rb') as f:
        return f.read(8) == PNG_SIGNATURE


def test_importing_the_extensions_does_not_import_matplotlib():
    code = ('import sys, dynet.training.extensions as E; '
            'E.PlotReport.available(); '
            'E.PlotReport(["main/loss"]); '
            'assert "matplotlib" not in sys.modules')
    env = dict(os.environ)
    here = os.path.dirname(os.path.abspath(dynet.__file__))
    env['PYTHONPATH'] = os.path.dirname(here) + os.pathsep + \
        env.get('PYTHONPATH', '')
    subprocess.run([sys.executable, '-c', code], check=True, env=env)


def test_plot_report_writes_png(tmp_path):
    pytest.importorskip('matplotlib')
    trainer, _ = _trainer(tmp_path)
    called = []

    def postprocess(figure, axes, summary):
        called.append((figure, axes))

    plot = extensions.PlotReport(['main/loss', 'never/reported'], 'epoch',
                                 postprocess=postprocess,
                                 filename='loss.png')
    trainer.extend(plot)
    trainer.run()
    path = os.path.join(str(tmp_path), 'loss.png')
    assert _is_png(path)
    assert sorted(os.listdir(str(tmp_path))) == ['loss.png']
    assert len(called) == 2
    assert [x for x, _ in plot._data['main/loss']] == [1, 2]
    assert plot._data['never/reported'] == []


def test_plot_report_defaults_and_serialize(tmp_path):
    pytest.importorskip('matplotlib')
    trainer, _ = _trainer(tmp_path, stop=(4, 'iteration'))
    plot = extensions.PlotReport('main/loss', trigger=(2, 'iteration'))
    trainer.extend(plot)
    trainer.run()
    assert _is_png(os.path.join(str(tmp_path), 'plot.png'))
    assert [x for x, _ in plot._data['main/loss']] == [2, 4]
    saver = serializers.DictionarySerializer()
    saver.save(plot)
    assert json.loads(str(saver.target['_plot_plot.png'])) == {
        'main/loss': [list(p) for p in plot._data['main/loss']]}
    fresh = extensions.PlotReport('main/loss', trigger=(2, 'iteration'))
    serializers.NpzDeserializer(saver.target).load(fresh)
    assert fresh._data == plot._data


def test_without_matplotlib_warns_once_and_training_goes_on(
        tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, 'matplotlib', None)
    trainer, _ = _trainer(tmp_path, stop=(4, 'iteration'))
    trainer.extend(extensions.PlotReport(['main/loss'],
                                         trigger=(1, 'iteration')))
    trainer.extend(extensions.VariableStatisticsPlot(
        trainer.updater.get_optimizer('main').target,
        trigger=(1, 'iteration')))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        trainer.run()
    messages = [str(w.message) for w in caught
                if 'matplotlib' in str(w.message)]
    assert len(messages) == 2  # one per extension, not one per iteration
    assert 'pip install matplotlib' in messages[0]
    assert os.listdir(str(tmp_path)) == []
    with pytest.warns(UserWarning, match='matplotlib'):
        assert extensions.PlotReport.available() is False


def test_variable_statistics_plot_writes_png(tmp_path):
    pytest.importorskip('matplotlib')
    trainer, model = _trainer(tmp_path, stop=(3, 'iteration'))
    plot = extensions.VariableStatisticsPlot(
        model, trigger=(3, 'iteration'), max_sample_size=2)
    trainer.extend(plot)
    trainer.run()
    assert _is_png(os.path.join(str(tmp_path), 'statistics.png'))
    # reservoir: at most max_sample_size iterations kept
    assert len(plot._samples.items) == 2
    assert plot._samples.seen == 3


def test_variable_statistics_plot_arguments(tmp_path):
    model = Regressor()
    with pytest.raises(ValueError):
        extensions.VariableStatisticsPlot(model, report_data=False,
                                          report_grad=False)
    with pytest.raises(ValueError):
        extensions.VariableStatisticsPlot(model, percentile_sigmas=(150,))
    with pytest.raises(TypeError):
        extensions.VariableStatisticsPlot(['not a variable'])
    plot = extensions.VariableStatisticsPlot(model.l1.W, report_grad=False,
                                             percentile_sigmas=(0, 50, 100))
    model.l1.W.array[...] = numpy.arange(6, dtype='f').reshape(3, 2)
    stats = plot._statistics()
    numpy.testing.assert_allclose(stats, [[2.5, numpy.std(numpy.arange(6)),
                                           0, 2.5, 5]])
