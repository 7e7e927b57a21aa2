import json
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
            self.fc = L.Linear(2, 1, initialW=numpy.zeros((1, 2), 'f'))

    def forward(self, x, t):
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss, 'other': 1.0}, self)
        return loss


def _trainer(out, stop=(3, 'epoch')):
    rng = numpy.random.RandomState(0)
    x = rng.randn(8, 2).astype(numpy.float32)
    t = x @ numpy.array([[2.0], [1.5]], numpy.float32) + 0.5
    model = Regressor()
    optimizer = optimizers.SGD(0.1).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    return training.Trainer(updater, stop, out=str(out))


class LossRecorder(training.Extension):
    trigger = 1, 'iteration'
    priority = training.PRIORITY_WRITER + 1

    def __init__(self):
        self.losses = []

    def __call__(self, trainer):
        self.losses.append(float(trainer.observation['main/loss'].array))


def test_log_entries_keys_values_and_file(tmp_path):
    trainer = _trainer(tmp_path)
    recorder = LossRecorder()
    trainer.extend(recorder)
    log_report = extensions.LogReport()
    trainer.extend(log_report)
    trainer.run()
    with open(os.path.join(str(tmp_path), 'log')) as f:
        text = f.read()
    assert text.startswith('[\n    {\n        "main/loss": ')
    log = json.loads(text)
    assert log == log_report.log
    assert len(log) == 3
    for epoch, entry in enumerate(log, 1):
        assert list(entry) == ['main/loss', 'main/other', 'epoch',
                               'iteration', 'elapsed_time']
        assert entry['epoch'] == epoch
        assert entry['iteration'] == 2 * epoch
        assert entry['main/other'] == 1.0
        numpy.testing.assert_allclose(
            entry['main/loss'], numpy.mean(recorder.losses[2 * epoch - 2:
                                                           2 * epoch]),
            rtol=1e-6)
    times = [entry['elapsed_time'] for entry in log]
    assert times == sorted(times) and times[0] > 0
    # only the log itself is left in the output directory
    assert sorted(os.listdir(str(tmp_path))) == ['log']


def test_keys_trigger_postprocess_and_filename_format(tmp_path):
    trainer = _trainer(tmp_path, stop=(6, 'iteration'))

    def postprocess(entry):
        entry['double'] = entry['main/loss'] * 2

    trainer.extend(extensions.LogReport(
        keys=['main/other', 'missing'], trigger=(3, 'iteration'),
        postprocess=postprocess, filename='log_{iteration}.json'))
    with pytest.raises(KeyError):
        # postprocess reads a key that keys= filtered out
        trainer.run(show_loop_exception_msg=False)

    trainer = _trainer(tmp_path / 'b', stop=(6, 'iteration'))
    log_report = extensions.LogReport(
        keys=['main/other', 'missing'], trigger=(3, 'iteration'),
        filename='log_{iteration}.json')
    trainer.extend(log_report)
    trainer.run()
    assert sorted(os.listdir(str(tmp_path / 'b'))) == [
        'log_3.json', 'log_6.json']
    with open(str(tmp_path / 'b' / 'log_3.json')) as f:
        assert len(json.load(f)) == 1
    assert [list(e) for e in log_report.log] == \
        [['main/other', 'epoch', 'iteration', 'elapsed_time']] * 2
    assert [e['iteration'] for e in log_report.log] == [3, 6]


def test_no_file_with_log_name_none(tmp_path):
    trainer = _trainer(tmp_path, stop=(1, 'epoch'))
    log_report = extensions.LogReport(log_name=None)
    trainer.extend(log_report)
    trainer.run()
    assert os.listdir(str(tmp_path)) == []
    assert len(log_report.log) == 1
    with pytest.raises(TypeError):
        extensions.LogReport(bad=1)


def test_write_is_atomic(tmp_path, monkeypatch):
    trainer = _trainer(tmp_path, stop=(1, 'epoch'))
    trainer.extend(extensions.LogReport())
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        # the complete new file exists before it takes the log's name
        with open(src) as f:
            replaced.append((os.path.basename(dst), json.load(f)))
        real_replace(src, dst)

    monkeypatch.setattr(os, 'replace', spy)
    trainer.run()
    assert len(replaced) == 1 and replaced[0][0] == 'log'
    assert replaced[0][1][0]['epoch'] == 1


def test_failed_write_keeps_previous_file(tmp_path, monkeypatch):
    (tmp_path / 'log').write_text('previous')
    trainer = _trainer(tmp_path, stop=(1, 'epoch'))
    trainer.extend(extensions.LogReport())

    def broken(*args, **kwargs):
        raise OSError('disk full')

    monkeypatch.setattr(json, 'dump', broken)
    with pytest.raises(OSError, match='disk full'):
        trainer.run(show_loop_exception_msg=False)
    assert (tmp_path / 'log').read_text() == 'previous'
    assert os.listdir(str(tmp_path)) == ['log']


class SaveAt(training.Extension):
    """Saves the trainer into a dict at a given iteration (runs last)."""
    priority = -1000

    def __init__(self, iteration, store):
        self.iteration = iteration
        self.store = store

    def __call__(self, trainer):
        if trainer.updater.iteration == self.iteration:
            saver = serializers.DictionarySerializer()
            saver.save(trainer)
            # copy: the serializer keeps references to the live arrays
            self.store.update({key: numpy.array(value, copy=True)
                               for key, value in saver.target.items()})


def _strip_time(log):
    return [{k: v for k, v in e.items() if k != 'elapsed_time'}
            for e in log]


@pytest.mark.parametrize('save_at', [4, 5])
def test_resume_continues_the_log_exactly(tmp_path, save_at):
    # trigger every 3 iterations so that a save at iteration 4 or 5 holds
    # a partly accumulated summary
    reference = _trainer(tmp_path / 'ref', stop=(9, 'iteration'))
    ref_log = extensions.LogReport(trigger=(3, 'iteration'))
    reference.extend(ref_log)
    store = {}
    reference.extend(SaveAt(save_at, store))
    reference.run()

    resumed = _trainer(tmp_path / 'res', stop=(9, 'iteration'))
    log = extensions.LogReport(trigger=(3, 'iteration'))
    resumed.extend(log)
    resumed.extend(SaveAt(-1, {}), name='SaveAt')
    serializers.NpzDeserializer(store).load(resumed)
    assert len(log.log) == 1
    resumed.run()
    assert resumed.updater.iteration == 9
    assert len(log.log) == 3
    ref = _strip_time(ref_log.log)
    got = _strip_time(log.log)
    assert [list(e) for e in got] == [list(e) for e in ref]
    for a, b in zip(got, ref):
        for key in a:
            assert a[key] == pytest.approx(b[key], rel=1e-6), key
    with open(str(tmp_path / 'res' / 'log')) as f:
        assert _strip_time(json.load(f)) == got
    assert log.log[0]['elapsed_time'] == ref_log.log[0]['elapsed_time']


def test_loads_a_snapshot_in_chainer_layout():
    # the entries Chainer 7 writes for a LogReport
    stored = {
        '_trigger/previous_iteration': numpy.array(4),
        '_trigger/previous_epoch_detail': numpy.array(2.0),
        '_summary/_names': numpy.array('[]'),
        '_log': numpy.array('[{"main/loss": 1.5, "epoch": 1, '
                            '"iteration": 2, "elapsed_time": 0.25}]'),
    }
    log_report = extensions.LogReport()
    serializers.NpzDeserializer(stored).load(log_report)
    assert log_report.log == [{'main/loss': 1.5, 'epoch': 1,
                               'iteration': 2, 'elapsed_time': 0.25}]
