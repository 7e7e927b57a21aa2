import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training
from dynet.serializers import DictionarySerializer, NpzDeserializer
from dynet.training import extensions


class _Optimizer:
    def __init__(self, **attrs):
        self.__dict__.update(attrs)


class _Updater:
    def __init__(self, optimizer):
        self.optimizer = optimizer

    def get_optimizer(self, name):
        assert name == 'main'
        return self.optimizer


class _Trainer:
    def __init__(self, optimizer):
        self.updater = _Updater(optimizer)


def _sequence(ext, n, attr='x', start=1.0):
    """The attribute after initialize and after each of ``n`` calls."""
    optimizer = _Optimizer(**{attr: start})
    trainer = _Trainer(optimizer)
    ext.initialize(trainer)
    values = [getattr(optimizer, attr)]
    for _ in range(n):
        ext(trainer)
        values.append(getattr(optimizer, attr))
    return values


def _approx(values):
    return pytest.approx(values, rel=1e-12, abs=0)


# ------------------------------------------------------------- formulas

def test_exponential_shift():
    values = _sequence(extensions.ExponentialShift('x', 0.5, init=2.0), 5)
    assert values == _approx([2.0 * 0.5 ** t for t in range(6)])
    # init=None: the optimizer's value when training starts.
    values = _sequence(extensions.ExponentialShift('x', 0.9), 3, start=0.3)
    assert values == _approx([0.3 * 0.9 ** t for t in range(4)])


def test_exponential_shift_target():
    values = _sequence(extensions.ExponentialShift('x', 0.5, init=1.0,
                                                   target=0.2), 4)
    assert values == _approx([1.0, 0.5, 0.25, 0.2, 0.2])
    values = _sequence(extensions.ExponentialShift('x', 2.0, init=1.0,
                                                   target=5.0), 4)
    assert values == _approx([1.0, 2.0, 4.0, 5.0, 5.0])
    # Negative values: the bound applies to the magnitude.
    values = _sequence(extensions.ExponentialShift('x', 0.5, init=-1.0,
                                                   target=-0.3), 3)
    assert values == _approx([-1.0, -0.5, -0.3, -0.3])
    with pytest.raises(ValueError):
        extensions.ExponentialShift('x', -0.5)


def test_linear_shift():
    ext = extensions.LinearShift('x', (1.0, 3.0), (2, 6))
    values = _sequence(ext, 8, start=100.0)
    expected = []
    for t in range(9):
        if t <= 2:
            expected.append(1.0)
        elif t >= 6:
            expected.append(3.0)
        else:
            expected.append(1.0 + (t - 2) / 4 * 2.0)
    assert values == _approx(expected)


def test_step_shift():
    values = _sequence(extensions.StepShift('x', 0.1, 3, init=1.0), 10)
    assert values == _approx([1.0 * 0.1 ** (t // 3) for t in range(11)])
    values = _sequence(extensions.StepShift('x', 0.1, 2, init=1.0,
                                            target=0.05), 6)
    assert values == _approx([1.0, 1.0, 0.1, 0.1, 0.05, 0.05, 0.05])
    values = _sequence(extensions.StepShift('x', 3.0, 1, init=1.0,
                                            target=10.0), 4)
    assert values == _approx([1.0, 3.0, 9.0, 10.0, 10.0])
    values = _sequence(extensions.StepShift('x', 0.5, 2), 4, start=0.8)
    assert values == _approx([0.8, 0.8, 0.4, 0.4, 0.2])


def test_multistep_shift():
    ext = extensions.MultistepShift('x', 0.1, (2, 5, 6), 1.0)
    values = _sequence(ext, 8, start=7.0)
    expected = [1.0 * 0.1 ** sum(1 for s in (2, 5, 6) if t >= s)
                for t in range(9)]
    assert values == _approx(expected)
    # init=None takes the optimizer's value.
    values = _sequence(extensions.MultistepShift('x', 0.5, (1,), None), 2,
                       start=0.4)
    assert values == _approx([0.4, 0.2, 0.2])


def test_polynomial_shift():
    values = _sequence(extensions.PolynomialShift('x', 0.9, 5, init=2.0), 7)
    assert values == _approx(
        [2.0 * max(1 - t / 5, 0) ** 0.9 for t in range(8)])
    values = _sequence(extensions.PolynomialShift('x', 2, 4, init=1.0,
                                                  target=0.3), 5)
    assert values == _approx([1.0, 0.5625, 0.3, 0.3, 0.3, 0.3])
    values = _sequence(extensions.PolynomialShift('x', 1, 4), 2, start=0.8)
    assert values == _approx([0.8, 0.6, 0.4])


def test_warmup_shift():
    ext = extensions.WarmupShift('x', 0.1, 4, init=1.0)
    values = _sequence(ext, 7, start=5.0)
    expected = [0.1] + [(t * 1.0 + (4 - t) * 0.1) / 4 for t in range(1, 5)]
    expected += [expected[-1]] * 3
    assert values == _approx(expected)
    assert values[4] == pytest.approx(1.0)
    # init=None: the optimizer's value is the value after the warm-up.
    values = _sequence(extensions.WarmupShift('x', 0.0, 2), 3, start=0.8)
    assert values == _approx([0.0, 0.4, 0.8, 0.8])
    # warmup_start=None: the optimizer's value.
    values = _sequence(extensions.WarmupShift('x', None, 2, init=1.0), 2,
                       start=0.5)
    assert values == _approx([0.5, 0.75, 1.0])


def test_warmup_shift_leaves_attr_alone_after_warmup():
    optimizer = _Optimizer(x=0.0)
    trainer = _Trainer(optimizer)
    ext = extensions.WarmupShift('x', 0.0, 2, init=1.0)
    ext.initialize(trainer)
    ext(trainer)
    ext(trainer)
    optimizer.x = 123.0
    ext(trainer)
    assert optimizer.x == 123.0


def test_inverse_shift():
    values = _sequence(extensions.InverseShift('x', 0.5, 0.75, init=1.0), 5)
    assert values == _approx(
        [1.0 * (1 + 0.5 * t) ** -0.75 for t in range(6)])
    values = _sequence(extensions.InverseShift('x', 1.0, 1.0, init=1.0,
                                               target=0.3), 4)
    assert values == _approx([1.0, 0.5, 1 / 3, 0.3, 0.3])
    values = _sequence(extensions.InverseShift('x', 1.0, -1.0, init=1.0,
                                               target=2.5), 3)
    assert values == _approx([1.0, 2.0, 2.5, 2.5])
    with pytest.raises(ValueError):
        extensions.InverseShift('x', -1.0, 1.0)


# ---------------------------------------------------------- resumption

_MAKERS = {
    'exponential': lambda: extensions.ExponentialShift('x', 0.8),
    'exponential_target': lambda: extensions.ExponentialShift(
        'x', 0.8, target=0.5),
    'linear': lambda: extensions.LinearShift('x', (0.5, 2.0), (2, 7)),
    'step': lambda: extensions.StepShift('x', 0.5, 3),
    'multistep': lambda: extensions.MultistepShift('x', 0.5, (2, 4, 9),
                                                   None),
    'polynomial': lambda: extensions.PolynomialShift('x', 0.5, 8),
    'warmup': lambda: extensions.WarmupShift('x', 0.1, 5),
    'inverse': lambda: extensions.InverseShift('x', 0.3, 0.5),
}


def _save(ext):
    serializer = DictionarySerializer()
    ext.serialize(serializer)
    return serializer.target


@pytest.mark.parametrize('kind', sorted(_MAKERS))
@pytest.mark.parametrize('stop_at', [0, 3, 6])
@pytest.mark.parametrize('load_first', [True, False])
def test_resume_continues_the_sequence(kind, stop_at, load_first):
    expected = _sequence(_MAKERS[kind](), 10)

    ext = _MAKERS[kind]()
    optimizer = _Optimizer(x=1.0)
    trainer = _Trainer(optimizer)
    ext.initialize(trainer)
    for _ in range(stop_at):
        ext(trainer)
    state = _save(ext)

    # A new process: a fresh optimizer (hyperparameters are not saved)
    # and a fresh extension, loaded before initialize (Chainer-style
    # ``load_npz`` then ``run``) or after it (snapshot autoload).
    resumed = _MAKERS[kind]()
    optimizer = _Optimizer(x=1.0)
    trainer = _Trainer(optimizer)
    if load_first:
        NpzDeserializer(state).load(resumed)
        resumed.initialize(trainer)
    else:
        resumed.initialize(trainer)
        NpzDeserializer(state).load(resumed)
    values = [optimizer.x]
    for _ in range(10 - stop_at):
        resumed(trainer)
        values.append(optimizer.x)
    assert values == expected[stop_at:]


def test_serialized_keys_match_chainer():
    for kind in ('exponential', 'linear', 'step', 'polynomial', 'inverse'):
        ext = _MAKERS[kind]()
        _sequence(ext, 2)
        state = _save(ext)
        assert set(state) == {'_t', '_last_value'}
        assert int(state['_t']) == 2
    ext = _MAKERS['warmup']()
    _sequence(ext, 2)
    assert set(_save(ext)) == {'_t'}
    ext = _MAKERS['multistep']()
    _sequence(ext, 2)
    assert set(_save(ext)) == {'_t', '_current_step'}


def test_multistep_loads_snapshot_with_only_t():
    expected = _sequence(_MAKERS['multistep'](), 8)
    resumed = _MAKERS['multistep']()
    optimizer = _Optimizer(x=1.0)
    trainer = _Trainer(optimizer)
    resumed.initialize(trainer)
    NpzDeserializer({'_t': numpy.asarray(5)}).load(resumed)
    assert optimizer.x == expected[5]
    resumed(trainer)
    assert optimizer.x == expected[6]


def test_saved_before_initialize():
    # A trainer saved before training holds _last_value=None.
    ext = extensions.ExponentialShift('x', 0.5)
    state = _save(ext)
    resumed = extensions.ExponentialShift('x', 0.5)
    NpzDeserializer(state).load(resumed)
    assert _sequence(resumed, 2, start=4.0) == _approx([4.0, 2.0, 1.0])


class _Model(dynet.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1)

    def forward(self, x, t):
        return F.sum((self.fc(x) - t) ** 2) / len(x)


def test_with_trainer_and_snapshot(tmp_path):
    # The value used by each update; a shift runs after the update, so the
    # update i uses the value set after update i - 1.
    def run(out, stop):
        numpy.random.seed(0)
        x = numpy.random.randn(8, 2).astype(numpy.float32)
        model = _Model()
        optimizer = optimizers.MomentumSGD(lr=0.1).setup(model)
        iterator = iterators.SerialIterator(
            list(zip(x, x.sum(1, keepdims=True))), 2)
        trainer = training.Trainer(
            training.StandardUpdater(iterator, optimizer), (stop, 'iteration'),
            out=str(out))
        used = []
        trainer.extend(lambda tr: used.append(optimizer.lr), name='used',
                       priority=training.PRIORITY_WRITER,
                       trigger=(1, 'iteration'))
        trainer.extend(extensions.StepShift('lr', 0.5, 2),
                       trigger=(1, 'iteration'))
        trainer.extend(extensions.snapshot(autoload=True),
                       trigger=(3, 'iteration'))
        trainer.run()
        return used, optimizer

    used, _ = run(tmp_path / 'a', 8)
    assert used == _approx([0.1 * 0.5 ** ((i - 1) // 2)
                            for i in range(1, 9)])
    run(tmp_path / 'b', 3)
    resumed, optimizer = run(tmp_path / 'b', 8)
    assert resumed == used[3:]
    assert optimizer.lr == 0.1 * 0.5 ** 4
