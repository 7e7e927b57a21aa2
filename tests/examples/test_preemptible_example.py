import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, 'examples', 'preemptible')
SCRIPT = os.path.join(EXAMPLE, 'train.py')

TINY = ['--iterations', '40', '--unit', '20', '--snapshot-interval', '10',
        '--log-interval', '10', '--n-retains', '2']


def _load(name, filename):
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(EXAMPLE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(tmp_path, *extra):
    notes = tmp_path / 'notes'
    command = [sys.executable, SCRIPT] + TINY + [
        '--out', str(tmp_path / 'res'), '--sync-to', str(tmp_path / 'mirror'),
        '--notify-cmd', 'echo "$PREEMPTIBLE_STATUS" >> "{}"'.format(notes)]
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run(command + list(extra), cwd=str(tmp_path), env=env,
                          capture_output=True, text=True, timeout=120)


def _json(path):
    with open(str(path)) as f:
        return json.load(f)


def _snapshots(directory):
    return sorted(n for n in os.listdir(str(directory))
                  if n.startswith('snapshot_iter_'))


def test_killed_twice_resumes_and_finishes_once(tmp_path):
    res, mirror, notes = tmp_path / 'res', tmp_path / 'mirror', \
        tmp_path / 'notes'

    # 1. taken away after iteration 15: the snapshot of 10 was synced
    first = _run(tmp_path, '--kill-at-iteration', '15')
    assert first.returncode == -signal.SIGKILL, first.stderr
    assert _snapshots(res) == ['snapshot_iter_10']
    assert _snapshots(mirror) == ['snapshot_iter_10']
    assert not (res / 'DONE').exists() and not notes.exists()

    # 2. same command: resumes locally from 10, killed again after 35
    second = _run(tmp_path, '--kill-at-iteration', '35')
    assert second.returncode == -signal.SIGKILL, second.stderr
    assert 'resumed from the snapshot of iteration 10' in second.stdout
    assert _snapshots(mirror) == ['snapshot_iter_20', 'snapshot_iter_30']

    # 3. a new machine: the local directory is gone, the mirror is left
    shutil.rmtree(str(res))
    third = _run(tmp_path)
    assert third.returncode == 0, third.stderr
    assert 'restoring' in third.stdout
    assert 'resumed from the snapshot of iteration 30' in third.stdout

    attempts = [a['start_iteration'] for a in _json(res / 'attempts.json')]
    assert attempts == [0, 10, 30]
    log = _json(res / 'log')
    assert [e['iteration'] for e in log] == [10, 20, 30, 40]
    done = _json(res / 'DONE')
    assert done['status'] == 'success' and done['iteration'] == 40
    assert done['attempts'] == 3
    assert done['validation/main/accuracy'] == \
        log[-1]['validation/main/accuracy']
    assert done['validation/main/accuracy'] > 0.3
    assert notes.read_text().split() == ['success']

    # the mirror is complete and holds the same final state
    assert _json(mirror / 'DONE')['iteration'] == 40
    assert _json(mirror / 'log') == log
    assert _snapshots(mirror) == _snapshots(res) == [
        'snapshot_iter_30', 'snapshot_iter_40']

    # resumption is exact: the same log as a run never interrupted
    straight = _load('preemptible_train', 'train.py').main(
        TINY + ['--out', str(tmp_path / 'straight')])
    straight_log = _json(tmp_path / 'straight' / 'log')
    for a, b in zip(log, straight_log):
        assert a['main/loss'] == pytest.approx(b['main/loss'], rel=1e-5)
        assert a['validation/main/accuracy'] == pytest.approx(
            b['validation/main/accuracy'])
    assert straight['validation/main/accuracy'] == pytest.approx(
        done['validation/main/accuracy'])

    # 4. once more: the marker is found, nothing runs, no new notification
    again = _run(tmp_path)
    assert again.returncode == 0, again.stderr
    assert 'nothing to do' in again.stdout
    assert 'epoch' not in again.stdout  # no training report
    assert notes.read_text().split() == ['success']
    assert _json(res / 'attempts.json') == _json(mirror / 'attempts.json')
    assert len(_json(res / 'attempts.json')) == 3


def test_failure_notifies_and_writes_no_marker(tmp_path, capsys):
    example = _load('preemptible_train_fail', 'train.py')
    calls = []
    notes = tmp_path / 'notes'
    with pytest.raises(RuntimeError, match='injected failure'):
        example.main(TINY + [
            '--out', str(tmp_path / 'res'),
            '--sync-to', str(tmp_path / 'mirror'),
            '--fail-at-iteration', '15',
            '--notify-cmd', 'echo "$PREEMPTIBLE_STATUS" >> "{}"'.format(
                notes)],
            notify=lambda status, info: calls.append((status, info)))
    assert len(calls) == 1
    status, info = calls[0]
    assert status == 'failure' and info['iteration'] == 15
    assert 'injected failure at iteration 15' in info['error']
    assert notes.read_text().split() == ['failure']
    assert not (tmp_path / 'res' / 'DONE').exists()
    # what was there when it failed reached the mirror
    assert _snapshots(tmp_path / 'mirror') == ['snapshot_iter_10']


def test_mirror_directory_is_a_faithful_copy(tmp_path):
    unattended = _load('preemptible_unattended', 'unattended.py')
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    (src / 'sub').mkdir(parents=True)
    (src / 'a').write_text('one')
    (src / 'sub' / 'b').write_text('two')
    (src / '.a.123.tmp').write_text('half-written')  # skipped
    (src / '.tmp.snap').mkdir()
    (src / '.tmp.snap' / 'snap').write_text('half-written')
    os.utime(str(src / 'a'), ns=(10 ** 18, 10 ** 18))
    assert unattended.mirror_directory(str(src), str(dst)) == 2
    assert sorted(os.listdir(str(dst))) == ['a', 'sub']
    assert (dst / 'sub' / 'b').read_text() == 'two'
    assert os.stat(str(dst / 'a')).st_mtime_ns == 10 ** 18
    # unchanged files are not copied again; removed ones disappear
    (src / 'sub' / 'b').unlink()
    (src / 'c').write_text('three')
    assert unattended.mirror_directory(str(src), str(dst)) == 1
    assert sorted(os.listdir(str(dst))) == ['a', 'c', 'sub']
    assert os.listdir(str(dst / 'sub')) == []
