import os
import random
import warnings

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, serializers, training
from dynet.serializers import npz
from dynet.training import extensions
from dynet.training.extensions import snapshot_writers


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1)

    def forward(self, x, t):
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


def _trainer(out, stop=6, seed=0):
    numpy.random.seed(seed)
    rng = numpy.random.RandomState(1)
    x = rng.randn(10, 2).astype(numpy.float32)
    t = x.sum(axis=1, keepdims=True)
    model = Regressor()
    optimizer = optimizers.MomentumSGD(lr=0.05).setup(model)
    iterator = iterators.SerialIterator(list(zip(x, t)), 3, shuffle=True)
    updater = training.StandardUpdater(iterator, optimizer)
    trainer = training.Trainer(updater, (stop, 'iteration'), out=str(out))
    return trainer, model


class _Record(training.Extension):
    """Keeps copies of the parameters and of NumPy's random state after
    every iteration (it runs before the snapshot of the iteration)."""

    priority = training.PRIORITY_READER

    def __init__(self, model):
        self.model = model
        self.params = {}
        self.rng = {}

    def __call__(self, trainer):
        it = trainer.updater.iteration
        self.params[it] = {n: p.array.copy()
                           for n, p in self.model.namedparams()}
        self.rng[it] = numpy.random.get_state()[1].copy()


def _entries(out):
    return sorted(os.listdir(str(out)))


def test_defaults():
    ext = extensions.snapshot()
    assert ext.trigger == (1, 'epoch')
    assert ext.priority == -100
    assert ext.filename == 'snapshot_iter_{.updater.iteration}'
    assert isinstance(ext.writer, snapshot_writers.SimpleWriter)
    assert ext.n_retains == -1 and ext.autoload is False
    with pytest.raises(TypeError):
        extensions.snapshot(savefun=npz.save_npz,
                            writer=snapshot_writers.SimpleWriter())
    obj = extensions.snapshot_object(Regressor(), 'model_{.updater.epoch}')
    assert obj.priority == -100 and obj.trigger == (1, 'epoch')


def test_file_names_and_contents(tmp_path):
    out = tmp_path / 'out'
    trainer, model = _trainer(out)
    record = _Record(model)
    trainer.extend(record, trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    trainer.run()
    assert _entries(out) == ['snapshot_iter_2', 'snapshot_iter_4',
                             'snapshot_iter_6']

    fresh, fresh_model = _trainer(tmp_path / 'other', seed=123)
    # The random states live in the snapshot extension's entries: the
    # trainer they are loaded into has one too (as a resumed script has).
    fresh.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    numpy.random.seed(999)
    serializers.load_npz(str(out / 'snapshot_iter_4'), fresh)
    assert fresh.updater.iteration == 4
    for name, param in fresh_model.namedparams():
        numpy.testing.assert_array_equal(param.array,
                                         record.params[4][name])
    # The global random state was restored, as it was at iteration 4.
    numpy.testing.assert_array_equal(numpy.random.get_state()[1],
                                     record.rng[4])
    with numpy.load(str(out / 'snapshot_iter_4')) as f:
        keys = set(f.files)
    assert 'updater/iteration' in keys
    assert 'updater/model:main/fc/W' in keys
    assert 'extensions/_Snapshot/_numpy_random_state/keys' in keys
    assert 'extensions/_Snapshot/_python_random_state/internal' in keys


def test_python_random_state_is_saved_and_restored(tmp_path):
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=2)
    trainer.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    random.seed(5)
    trainer.run()
    expected = random.random()
    random.seed(77)
    fresh, _ = _trainer(tmp_path / 'x')
    fresh.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    serializers.load_npz(str(out / 'snapshot_iter_2'), fresh)
    assert random.random() == expected


def test_load_without_random_state_entries(tmp_path):
    # A snapshot without the random-state entries (e.g. written by
    # Chainer) loads, and leaves the generators alone.
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=2)
    trainer.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    trainer.run()
    with numpy.load(str(out / 'snapshot_iter_2')) as f:
        entries = {k: f[k] for k in f.files if 'random_state' not in k}
    chainer_like = str(tmp_path / 'chainer_like.npz')
    numpy.savez(chainer_like, **entries)

    fresh, _ = _trainer(tmp_path / 'x')
    fresh.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    numpy.random.seed(42)
    state = numpy.random.get_state()[1].copy()
    serializers.load_npz(chainer_like, fresh)
    assert fresh.updater.iteration == 2
    numpy.testing.assert_array_equal(numpy.random.get_state()[1], state)


def test_filename_callable_and_condition(tmp_path):
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=4)
    trainer.extend(extensions.snapshot(
        filename=lambda tr: 'snap-{}.npz'.format(tr.updater.iteration),
        condition=lambda: True), trigger=(2, 'iteration'))
    calls = []

    def never():
        calls.append(1)
        return False

    trainer.extend(extensions.snapshot(filename='never_{.updater.iteration}',
                                       condition=never),
                   trigger=(1, 'iteration'))
    trainer.run()
    assert _entries(out) == ['snap-2.npz', 'snap-4.npz']
    assert len(calls) == 4


def test_snapshot_object(tmp_path):
    out = tmp_path / 'out'
    trainer, model = _trainer(out, stop=4)
    record = _Record(model)
    trainer.extend(record, trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot_object(model,
                                              'model_{.updater.iteration}'),
                   trigger=(2, 'iteration'))
    trainer.run()
    assert _entries(out) == ['model_2', 'model_4']
    fresh = Regressor()
    serializers.load_npz(str(out / 'model_2'), fresh)
    for name, param in fresh.namedparams():
        numpy.testing.assert_array_equal(param.array,
                                         record.params[2][name])


def test_n_retains(tmp_path):
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=10)
    trainer.extend(extensions.snapshot(n_retains=2),
                   trigger=(2, 'iteration'))
    trainer.run()
    assert _entries(out) == ['snapshot_iter_10', 'snapshot_iter_8']


class _Failing:
    """A savefun that writes part of the file and then raises."""

    def __init__(self, fail_at, exc):
        self.fail_at = fail_at
        self.exc = exc

    def __call__(self, path, target):
        if int(target['updater/iteration']) == self.fail_at:
            with open(path, 'wb') as f:
                f.write(b'PK\x03\x04 truncated')
            raise self.exc
        npz.save_npz(path, target)


@pytest.mark.parametrize('exc', [RuntimeError('disk full'),
                                 KeyboardInterrupt()])
def test_crash_while_writing_keeps_the_previous_snapshot(tmp_path, exc):
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=6)
    # One file name for every snapshot: the failed write must not touch
    # the previous one.
    trainer.extend(extensions.snapshot(savefun=_Failing(4, exc),
                                       filename='snapshot'),
                   trigger=(2, 'iteration'))
    with pytest.raises(type(exc)):
        trainer.run(show_loop_exception_msg=False)
    assert _entries(out) == ['snapshot']   # no temporary file is left
    fresh, _ = _trainer(tmp_path / 'x')
    serializers.load_npz(str(out / 'snapshot'), fresh)
    assert fresh.updater.iteration == 2


def test_crash_inside_save_npz_leaves_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=4)
    trainer.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    real = npz._write_npz
    count = []

    def write_then_fail(fileobj, entries, compression):
        count.append(1)
        if len(count) == 2:
            fileobj.write(b'PK\x03\x04 garbage')
            raise OSError('simulated I/O error')
        return real(fileobj, entries, compression)

    monkeypatch.setattr(npz, '_write_npz', write_then_fail)
    with pytest.raises(OSError):
        trainer.run(show_loop_exception_msg=False)
    assert _entries(out) == ['snapshot_iter_2']


def test_snapshot_on_error(tmp_path):
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=10)

    @training.make_extension(trigger=(1, 'iteration'))
    def fail(trainer):
        if trainer.updater.iteration == 3:
            raise ValueError('boom')

    trainer.extend(fail)
    trainer.extend(extensions.snapshot(snapshot_on_error=True),
                   trigger=(2, 'iteration'))
    trainer.extend(extensions.snapshot(filename='plain_{.updater.iteration}'),
                   trigger=(2, 'iteration'))
    with pytest.raises(ValueError):
        trainer.run(show_loop_exception_msg=False)
    assert _entries(out) == ['plain_2', 'snapshot_iter_2', 'snapshot_iter_3']


def test_no_snapshot_on_keyboard_interrupt(tmp_path):
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=10)

    @training.make_extension(trigger=(1, 'iteration'))
    def interrupt(trainer):
        if trainer.updater.iteration == 3:
            raise KeyboardInterrupt

    trainer.extend(interrupt)
    trainer.extend(extensions.snapshot(snapshot_on_error=True),
                   trigger=(2, 'iteration'))
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    assert _entries(out) == ['snapshot_iter_2']


def _finished_run(out, stop=6):
    trainer, model = _trainer(out, stop=stop)
    record = _Record(model)
    trainer.extend(record, trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(2, 'iteration'))
    trainer.run()
    return record


class _Count(training.Extension):
    def __init__(self):
        self.iterations = []

    def __call__(self, trainer):
        self.iterations.append(trainer.updater.iteration)


def _resume(out, stop):
    trainer, model = _trainer(out, stop=stop, seed=321)
    count = _Count()
    trainer.extend(count, trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot(autoload=True),
                   trigger=(2, 'iteration'))
    trainer.run()
    return count.iterations, model


def test_autoload_resumes_from_newest(tmp_path):
    out = tmp_path / 'out'
    _finished_run(out)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        iterations, _ = _resume(out, stop=8)
    assert iterations == [7, 8]


def test_autoload_without_snapshots_starts_from_scratch(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        iterations, _ = _resume(tmp_path / 'empty', stop=2)
    assert iterations == [1, 2]


def test_autoload_falls_back_when_newest_is_truncated(tmp_path):
    out = tmp_path / 'out'
    record = _finished_run(out)
    newest = out / 'snapshot_iter_6'
    data = newest.read_bytes()
    newest.write_bytes(data[:len(data) // 2])
    # A temporary directory left by a writer killed mid-write is ignored.
    leftover = out / '.tmp.snapshot_iter_8.abc123'
    leftover.mkdir()
    (leftover / 'snapshot_iter_8').write_bytes(b'PK\x03\x04')

    trainer, model = _trainer(out, stop=4, seed=5)
    trainer.extend(extensions.snapshot(autoload=True),
                   trigger=(100, 'iteration'))
    with pytest.warns(UserWarning, match='snapshot_iter_6') as caught:
        trainer.run()
    messages = [str(w.message) for w in caught
                if issubclass(w.category, UserWarning)]
    assert len(messages) == 1, messages
    # Resumed from 4 (the newest valid snapshot): nothing left to do.
    assert trainer.updater.iteration == 4
    for name, param in model.namedparams():
        numpy.testing.assert_array_equal(param.array,
                                         record.params[4][name])
    # The damaged file and the leftover are left for the user to inspect.
    assert newest.exists() and leftover.exists()


def test_autoload_all_corrupt_warns_and_starts_over(tmp_path):
    out = tmp_path / 'out'
    _finished_run(out, stop=4)
    for name in ('snapshot_iter_2', 'snapshot_iter_4'):
        (out / name).write_bytes(b'not an npz file')
    with pytest.warns(UserWarning):
        iterations, _ = _resume(out, stop=2)
    assert iterations == [1, 2]


def test_autoload_mismatch_raises(tmp_path):
    # A snapshot that is readable but does not fit the trainer is an
    # error, not something to skip silently.
    out = tmp_path / 'out'
    _finished_run(out, stop=2)
    trainer, _ = _trainer(out, stop=4)
    trainer.updater.get_optimizer('main').target.fc.W.array = numpy.zeros(
        (3, 2), numpy.float32)
    trainer.extend(extensions.snapshot(autoload=True),
                   trigger=(2, 'iteration'))
    with pytest.raises(ValueError, match='shape'):
        trainer.run(show_loop_exception_msg=False)


def test_autoload_orders_equal_mtimes_by_number(tmp_path):
    out = tmp_path / 'out'
    _finished_run(out, stop=10)
    stamp = os.stat(str(out / 'snapshot_iter_2')).st_mtime_ns
    for name in os.listdir(str(out)):
        os.utime(str(out / name), ns=(stamp, stamp))
    iterations, _ = _resume(out, stop=11)
    assert iterations == [11]


def test_autoload_snapshot_object(tmp_path):
    out = tmp_path / 'out'
    trainer, model = _trainer(out, stop=4)
    record = _Record(model)
    trainer.extend(record, trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot_object(model,
                                              'model_{.updater.iteration}'),
                   trigger=(2, 'iteration'))
    trainer.run()

    trainer, fresh = _trainer(out, stop=4, seed=9)
    trainer.extend(extensions.snapshot_object(
        fresh, 'model_{.updater.iteration}', autoload=True),
        trigger=(100, 'iteration'))
    ext = trainer.get_extension('_Snapshot')
    ext.initialize(trainer)
    for name, param in fresh.namedparams():
        numpy.testing.assert_array_equal(param.array,
                                         record.params[4][name])


@pytest.mark.parametrize('writer_class', [
    snapshot_writers.SimpleWriter, snapshot_writers.ThreadWriter,
    snapshot_writers.ProcessWriter, snapshot_writers.ThreadQueueWriter,
    snapshot_writers.ProcessQueueWriter])
def test_writers(tmp_path, writer_class):
    out = tmp_path / 'out'
    trainer, model = _trainer(out, stop=8)
    record = _Record(model)
    trainer.extend(record, trigger=(1, 'iteration'))
    writer = writer_class()
    trainer.extend(extensions.snapshot(writer=writer, n_retains=2),
                   trigger=(2, 'iteration'))
    trainer.run()
    assert _entries(out) == ['snapshot_iter_6', 'snapshot_iter_8']
    fresh, fresh_model = _trainer(tmp_path / 'x')
    serializers.load_npz(str(out / 'snapshot_iter_6'), fresh)
    assert fresh.updater.iteration == 6
    for name, param in fresh_model.namedparams():
        numpy.testing.assert_array_equal(param.array,
                                         record.params[6][name])


def test_hdf5_savefun_autoload(tmp_path):
    pytest.importorskip('h5py')
    out = tmp_path / 'out'
    trainer, _ = _trainer(out, stop=4)
    trainer.extend(extensions.snapshot(savefun=serializers.save_hdf5),
                   trigger=(2, 'iteration'))
    trainer.run()
    trainer, _ = _trainer(out, stop=5)
    count = _Count()
    trainer.extend(count, trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot(savefun=serializers.save_hdf5,
                                       autoload=True),
                   trigger=(2, 'iteration'))
    trainer.run()
    assert count.iterations == [5]


def test_template_with_directory(tmp_path):
    out = tmp_path / 'out'
    template = 'snaps/iter_{.updater.iteration}.npz'
    trainer, _ = _trainer(out, stop=6)
    trainer.extend(extensions.snapshot(filename=template, n_retains=2),
                   trigger=(2, 'iteration'))
    trainer.run()
    assert _entries(out / 'snaps') == ['iter_4.npz', 'iter_6.npz']
    trainer, _ = _trainer(out, stop=7)
    count = _Count()
    trainer.extend(count, trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot(filename=template, autoload=True),
                   trigger=(2, 'iteration'))
    trainer.run()
    assert count.iterations == [7]
