import io
import re

import numpy

import dynet
import dynet.functions as F
import dynet.links as L
from dynet import iterators, optimizers, training
from dynet.training import extensions, triggers


class Regressor(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(2, 1)

    def forward(self, x, t):
        loss = F.sum((self.fc(x) - t) ** 2) / len(x)
        dynet.report({'loss': loss}, self)
        return loss


def _trainer(out, stop):
    data = list(zip(numpy.ones((8, 2), 'f'), numpy.ones((8, 1), 'f')))
    model = Regressor()
    optimizer = optimizers.SGD(0.1).setup(model)
    it = iterators.SerialIterator(data, 4, shuffle=False)
    updater = training.StandardUpdater(it, optimizer)
    return training.Trainer(updater, stop, out=str(out))


def _frames(text):
    # each redraw: erase, lines, then the cursor goes back up
    assert text.endswith('\x1b[J')
    frames = text[:-len('\x1b[J')].split('\x1b[J')[1:]
    result = []
    for frame in frames:
        match = re.fullmatch(r'(.*)\x1b\[(\d)A', frame, re.S)
        assert match, repr(frame)
        lines = match.group(1).split('\n')
        assert lines[-1] == ''
        assert len(lines) - 1 == int(match.group(2))
        result.append(lines[:-1])
    return result


def test_epoch_length_from_stop_trigger(tmp_path):
    out = io.StringIO()
    trainer = _trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.ProgressBar(update_interval=2, out=out))
    trainer.run()
    frames = _frames(out.getvalue())
    assert len(frames) == 2
    first, second = frames
    assert first[0] == '     total [' + '#' * 25 + '.' * 25 + '] 50.00%'
    assert first[1] == 'this epoch [' + '.' * 50 + ']  0.00%'
    assert first[2] == '         2 iter, 1 epoch / 2 epochs'
    assert first[3] == ('       inf iters/sec. Estimated time to finish: '
                        '0:00:00.')
    assert second[0] == '     total [' + '#' * 50 + '] 100.00%'
    assert second[2] == '         4 iter, 2 epoch / 2 epochs'
    assert re.fullmatch(r' *[0-9.e+]+ iters/sec\. Estimated time to '
                        r'finish: 0:00:00(\.\d+)?\.', second[3])


def test_iteration_length_and_partial_epoch(tmp_path):
    out = io.StringIO()
    trainer = _trainer(tmp_path, (3, 'iteration'))
    trainer.extend(extensions.ProgressBar(update_interval=1, bar_length=10,
                                          out=out))
    trainer.run()
    frames = _frames(out.getvalue())
    assert [f[0] for f in frames] == [
        '     total [###.......] 33.33%',
        '     total [######....] 66.67%',
        '     total [##########] 100.00%']
    assert frames[0][1] == 'this epoch [#####.....] 50.00%'
    assert frames[2][2] == '         3 iter, 1 epoch / 3 iterations'


def test_explicit_length_and_stop_trigger_without_length(tmp_path):
    out = io.StringIO()
    trainer = _trainer(tmp_path, triggers.ManualScheduleTrigger(4,
                                                                'iteration'))
    trainer.extend(extensions.ProgressBar(update_interval=4, out=out))
    trainer.run()
    frame, = _frames(out.getvalue())
    assert frame[0].startswith('this epoch')
    assert frame[1] == '         4 iter, 2 epoch'

    out = io.StringIO()
    trainer = _trainer(tmp_path, triggers.ManualScheduleTrigger(4,
                                                                'iteration'))
    trainer.extend(extensions.ProgressBar((8, 'iteration'), 4, out=out))
    trainer.run()
    frame, = _frames(out.getvalue())
    assert frame[0].endswith('] 50.00%')
    assert frame[2] == '         4 iter, 2 epoch / 8 iterations'
