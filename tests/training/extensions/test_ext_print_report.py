import io

import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training
from dynet.training import extensions


class _Trainer:
    """Just what PrintReport reads from a trainer."""

    def __init__(self, log_report):
        self._log_report = log_report

    def get_extension(self, name):
        assert name == 'LogReport'
        return self._log_report


class _Log:
    def __init__(self):
        self.log = []


def test_table_format_matches_chainer():
    log = _Log()
    trainer = _Trainer(log)
    out = io.StringIO()
    report = extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/accuracy', 'x'], out=out)
    report(trainer)
    log.log.append({'epoch': 1, 'main/loss': 0.123456789,
                    'validation/main/accuracy': 0.5, 'x': 1e-7})
    log.log.append({'epoch': 2, 'main/loss': 12345678.9})
    report(trainer)
    report(trainer)  # nothing new: nothing printed
    log.log.append({'epoch': 3, 'main/loss': float('nan'), 'x': 3})
    report(trainer)
    # The text Chainer 7 prints for the same calls.
    assert out.getvalue() == (
        'epoch       main/loss   validation/main/accuracy  x         \n'
        '\x1b[J1           0.123457    0.5                       1e-07'
        '       \n'
        '\x1b[J2           1.23457e+07                                '
        '        \n'
        '\x1b[J3           nan                                   3    '
        '       \n')


def test_non_numbers_are_printed_as_text():
    log = _Log()
    log.log.append({'name': 'abc', 'flag': True})
    out = io.StringIO()
    extensions.PrintReport(['name', 'flag'], out=out)(_Trainer(log))
    assert out.getvalue().splitlines()[1] == \
        '\x1b[Jabc         True        '


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1, initialW=numpy.zeros((1, 2), 'f'))

    def forward(self, x, t):
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
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


@pytest.mark.parametrize('by_instance', [False, True])
def test_prints_one_row_per_log_entry_in_training(tmp_path, by_instance):
    trainer = _trainer(tmp_path)
    log_report = extensions.LogReport()
    out = io.StringIO()
    if by_instance:
        report = extensions.PrintReport(
            ['epoch', 'iteration', 'main/loss', 'missing'],
            log_report=log_report, out=out)
    else:
        trainer.extend(log_report)
        report = extensions.PrintReport(
            ['epoch', 'iteration', 'main/loss', 'missing'], out=out)
    trainer.extend(report)
    trainer.run()
    lines = out.getvalue().split('\n')
    assert lines[0] == 'epoch       iteration   main/loss   missing   '
    assert lines[-1] == ''
    rows = lines[1:-1]
    assert len(rows) == 3
    for entry, row in zip(log_report.log, rows):
        assert row == '\x1b[J{:<10g}  {:<10g}  {:<10g}  {}'.format(
            entry['epoch'], entry['iteration'], entry['main/loss'],
            ' ' * 12)


def test_bad_log_report_argument():
    report = extensions.PrintReport(['epoch'], log_report=3,
                                    out=io.StringIO())
    with pytest.raises(TypeError, match='LogReport'):
        report(_Trainer(_Log()))
