"""Exact resumption: a training killed (SIGKILL, Ctrl-C) and resumed with
``snapshot(autoload=True)`` ends bit-for-bit where an uninterrupted run
ends -- parameters, optimizer state, iterator order, learning-rate shifts,
the recorded losses, the LogReport log and the global random states.

Each training runs in a subprocess (``sys.executable`` with PYTHONPATH set
to the repository root) that executes ``_SCRIPT``.
"""
import json
import os
import random
import signal
import subprocess
import sys

import numpy
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

N_ITER = 23
SNAPSHOT_EVERY = 4

_SCRIPT = r'''
import json
import os
import random
import signal
import sys

import numpy

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training
from dynet.serializers import DictionarySerializer, save_npz
from dynet.training import extensions

out, result_path, kill_at, mode = sys.argv[1:5]
kill_at = int(kill_at)
N_ITER = int(sys.argv[5])
SNAPSHOT_EVERY = int(sys.argv[6])

# The same seeds in every run: what a resumed run must not depend on is
# where the generators stand when the process starts.
numpy.random.seed(0)
random.seed(0)


class Net(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 8)
            self.l2 = L.Linear(8, 1)

    def forward(self, x, t):
        h = F.relu(self.l1(x))
        # Dropout drawn from NumPy's global generator ...
        keep = numpy.random.rand(*h.shape) >= 0.25
        h = h * (keep.astype(numpy.float32) / numpy.float32(0.75))
        # ... and a perturbation drawn from Python's.
        noise = numpy.float32(random.gauss(0.0, 0.01))
        loss = F.sum((self.l2(h) - t) ** 2) / len(x) + noise
        dynet.report({'loss': loss}, self)
        return loss


class LossRecorder(training.Extension):
    """Records every iteration's loss; saved with the trainer."""

    def __init__(self):
        self.losses = []

    def __call__(self, trainer):
        self.losses.append(float(trainer.observation['main/loss'].array))

    def serialize(self, serializer):
        if isinstance(serializer, dynet.Deserializer):
            stored = serializer('losses', None)
            if stored is not None:   # None in the checking pass
                self.losses = [float(v) for v in numpy.asarray(stored)]
        else:
            serializer('losses', numpy.asarray(self.losses, numpy.float64))


class Killer(training.Extension):
    priority = -1000   # after the snapshot of the same iteration

    def __call__(self, trainer):
        if mode == 'after_update' and trainer.updater.iteration == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


def savefun(path, target):
    from dynet.serializers import save_npz
    if mode == 'mid_write' and int(target['updater/iteration']) == kill_at:
        # Die in the middle of writing the snapshot file.
        with open(path, 'wb') as f:
            f.write(b'PK\x03\x04 half a snapshot')
            f.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    save_npz(path, target)


data_rng = numpy.random.RandomState(1)
x = data_rng.randn(30, 3).astype(numpy.float32)
t = (x @ numpy.array([[1.0], [-2.0], [0.5]], numpy.float32)).astype(
    numpy.float32)
model = Net()
optimizer = optimizers.Adam(alpha=0.01).setup(model)
iterator = iterators.SerialIterator(list(zip(x, t)), 7, shuffle=True)
updater = training.StandardUpdater(iterator, optimizer)
trainer = training.Trainer(updater, (N_ITER, 'iteration'), out=out)
trainer.extend(extensions.ExponentialShift('alpha', 0.97),
               trigger=(1, 'iteration'))
trainer.extend(extensions.LinearShift('beta1', (0.85, 0.9), (2, 12)),
               trigger=(1, 'iteration'))
trainer.extend(extensions.snapshot(savefun=savefun, autoload=True,
                                   n_retains=3),
               trigger=(SNAPSHOT_EVERY, 'iteration'))
recorder = LossRecorder()
trainer.extend(recorder, name='losses', trigger=(1, 'iteration'))
log_report = None
if hasattr(extensions, 'LogReport'):
    log_report = extensions.LogReport(trigger=(3, 'iteration'))
    trainer.extend(log_report)
trainer.extend(Killer(), trigger=(1, 'iteration'))
trainer.run()

result = {}
for name, param in model.namedparams():
    result['param' + name] = param.array
serializer = DictionarySerializer()
optimizer.serialize(serializer)
for key, value in serializer.target.items():
    result['optimizer/' + key] = value
result['iterator/order'] = iterator._order
result['iterator/position'] = numpy.asarray(
    [iterator.current_position, iterator.epoch, iterator.is_new_epoch])
result['losses'] = numpy.asarray(recorder.losses, numpy.float64)
result['alpha'] = numpy.float64(optimizer.alpha)
result['beta1'] = numpy.float64(optimizer.beta1)
result['numpy_random'] = numpy.random.get_state()[1]
result['numpy_random_pos'] = numpy.asarray(numpy.random.get_state()[2])
result['python_random'] = numpy.asarray(random.getstate()[1])
result['iteration'] = numpy.asarray(updater.iteration)
numpy.savez(result_path, **result)
if log_report is not None:
    log = [{k: v for k, v in entry.items() if k != 'elapsed_time'}
           for entry in log_report.log]
    with open(result_path + '.log.json', 'w') as f:
        json.dump(log, f)
'''


def _run(script, out, result, kill_at=-1, mode='none'):
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    return subprocess.run(
        [sys.executable, str(script), str(out), str(result), str(kill_at),
         mode, str(N_ITER), str(SNAPSHOT_EVERY)],
        env=env, capture_output=True, text=True, timeout=120)


def _load(result):
    with numpy.load(str(result) + '.npz') as f:
        arrays = {key: f[key] for key in f.files}
    log = None
    if os.path.exists(str(result) + '.log.json'):
        with open(str(result) + '.log.json') as f:
            log = json.load(f)
    return arrays, log


@pytest.fixture(scope='module')
def script(tmp_path_factory):
    path = tmp_path_factory.mktemp('resume') / 'train.py'
    path.write_text(_SCRIPT)
    return path


@pytest.fixture(scope='module')
def uninterrupted(script, tmp_path_factory):
    base = tmp_path_factory.mktemp('uninterrupted')
    proc = _run(script, base / 'out', base / 'result')
    assert proc.returncode == 0, proc.stderr
    return _load(base / 'result')


def _assert_identical(expected, actual):
    arrays, log = expected
    arrays2, log2 = actual
    assert sorted(arrays) == sorted(arrays2)
    for key in arrays:
        assert arrays[key].dtype == arrays2[key].dtype, key
        # Bitwise: the same bytes, NaN or not.
        assert arrays[key].tobytes() == arrays2[key].tobytes(), key
    assert log == log2


def _kill_points(seed):
    """Two kill iterations drawn from a seeded generator: one in the first
    half (not necessarily at a snapshot), one at a later snapshot."""
    rng = random.Random(seed)
    first = rng.randint(SNAPSHOT_EVERY + 1, N_ITER // 2)
    later = [i for i in range(first + 1, N_ITER)
             if i % SNAPSHOT_EVERY == 0]
    return first, rng.choice(later)


@pytest.mark.parametrize('seed,second_mode', [
    (20240501, 'after_update'), (7, 'mid_write')])
def test_killed_and_resumed_training_is_bitwise_identical(
        script, uninterrupted, tmp_path, seed, second_mode):
    arrays, log = uninterrupted
    assert int(arrays['iteration']) == N_ITER
    assert len(arrays['losses']) == N_ITER
    if log is not None:
        assert [e['iteration'] for e in log] == list(range(3, N_ITER + 1, 3))

    out = tmp_path / 'out'
    first, second = _kill_points(seed)

    proc = _run(script, out, tmp_path / 'r1', first, 'after_update')
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert not os.path.exists(str(tmp_path / 'r1') + '.npz')

    # Second run resumes, then dies again (after an update, or in the
    # middle of writing a snapshot, which leaves a temporary directory).
    proc = _run(script, out, tmp_path / 'r2', second, second_mode)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    names = os.listdir(out)
    if second_mode == 'mid_write':
        assert 'snapshot_iter_{}'.format(second) not in names
        assert any(name.startswith('.tmp.') for name in names)

    proc = _run(script, out, tmp_path / 'r3')
    assert proc.returncode == 0, proc.stderr
    assert 'Traceback' not in proc.stderr, proc.stderr
    _assert_identical(uninterrupted, _load(tmp_path / 'r3'))
    # n_retains=3 kept the three newest snapshots.
    snapshots = sorted(n for n in os.listdir(out)
                       if n.startswith('snapshot_iter_'))
    assert len(snapshots) == 3


_CTRL_C_SCRIPT = r'''
import os
import signal
import sys

import numpy

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training
from dynet.serializers import save_npz
from dynet.training import extensions

out, how = sys.argv[1:3]


class Net(dynet.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1)

    def forward(self, x, t):
        return F.sum((self.fc(x) - t) ** 2) / len(x)


class Interrupt(training.Extension):
    def __call__(self, trainer):
        if how == 'sigint' and trainer.updater.iteration == 5:
            os.kill(os.getpid(), signal.SIGINT)
        if how == 'raise' and trainer.updater.iteration == 5:
            raise KeyboardInterrupt


class Finalized(training.Extension):
    def __call__(self, trainer):
        pass

    def finalize(self):
        with open(os.path.join(out, 'finalized'), 'w') as f:
            f.write('yes')


def savefun(path, target):
    if how == 'sigint_mid_write' and int(target['updater/iteration']) == 6:
        with open(path, 'wb') as f:
            f.write(b'partial')
        os.kill(os.getpid(), signal.SIGINT)
        # Python raises KeyboardInterrupt here, at the latest.
        for _ in range(10 ** 6):
            pass
        raise AssertionError('SIGINT was not delivered')
    save_npz(path, target)


numpy.random.seed(0)
x = numpy.random.randn(12, 2).astype(numpy.float32)
t = x.sum(axis=1, keepdims=True)
model = Net()
optimizer = optimizers.MomentumSGD(lr=0.05).setup(model)
iterator = iterators.SerialIterator(list(zip(x, t)), 3)
trainer = training.Trainer(training.StandardUpdater(iterator, optimizer),
                           (20, 'iteration'), out=out)
trainer.extend(extensions.snapshot(savefun=savefun),
               trigger=(2, 'iteration'))
trainer.extend(Interrupt(), trigger=(1, 'iteration'))
trainer.extend(Finalized(), trigger=(1, 'iteration'))
trainer.run()
'''


def _fresh_trainer(out):
    import dynet
    import dynet.functions as F
    import dynet.links as L
    from dynet import iterators, optimizers, training

    class Net(dynet.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.fc = L.Linear(2, 1)

        def forward(self, x, t):
            return F.sum((self.fc(x) - t) ** 2) / len(x)

    x = numpy.zeros((12, 2), numpy.float32)
    t = numpy.zeros((12, 1), numpy.float32)
    model = Net()
    optimizer = optimizers.MomentumSGD(lr=0.05).setup(model)
    iterator = iterators.SerialIterator(list(zip(x, t)), 3)
    return training.Trainer(training.StandardUpdater(iterator, optimizer),
                            (20, 'iteration'), out=str(out))


@pytest.mark.parametrize('how,last', [
    ('raise', 4), ('sigint', 4), ('sigint_mid_write', 4)])
def test_ctrl_c_finalizes_and_keeps_last_snapshot(tmp_path, how, last):
    from dynet.serializers import load_npz

    script = tmp_path / 'train.py'
    script.write_text(_CTRL_C_SCRIPT)
    out = tmp_path / 'out'
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run([sys.executable, str(script), str(out), how],
                          env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode != 0
    assert 'KeyboardInterrupt' in proc.stderr, proc.stderr
    assert (out / 'finalized').read_text() == 'yes'
    names = sorted(os.listdir(out))
    assert names == ['finalized', 'snapshot_iter_2', 'snapshot_iter_4']
    trainer = _fresh_trainer(out)
    load_npz(str(out / 'snapshot_iter_{}'.format(last)), trainer)
    assert trainer.updater.iteration == last
