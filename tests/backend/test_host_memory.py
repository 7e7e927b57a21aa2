import ctypes
import os

import pytest

from dynet.backend import _host_memory


def _fail_if_called(*args, **kwargs):
    raise AssertionError('malloc must be left alone')


def test_opt_out_leaves_malloc_alone(monkeypatch):
    monkeypatch.setenv('DYNET_KEEP_FREED_MEMORY', '0')
    monkeypatch.setattr(ctypes, 'CDLL', _fail_if_called)
    assert _host_memory.keep_freed_memory() is False


def test_bad_setting_is_an_error(monkeypatch):
    monkeypatch.setenv('DYNET_KEEP_FREED_MEMORY', 'yes')
    with pytest.raises(ValueError, match='DYNET_KEEP_FREED_MEMORY must be '
                                         '"0" or "1", got \'yes\''):
        _host_memory.keep_freed_memory()


def test_other_c_libraries_are_left_alone(monkeypatch):
    monkeypatch.delenv('DYNET_KEEP_FREED_MEMORY', raising=False)
    monkeypatch.setattr(os, 'confstr', lambda name: '', raising=False)
    monkeypatch.setattr(ctypes, 'CDLL', _fail_if_called)
    assert _host_memory.keep_freed_memory() is False


def test_sets_both_thresholds_on_glibc(monkeypatch):
    if not _host_memory._glibc():
        pytest.skip('needs the GNU C library')
    calls = []

    class FakeLibc:
        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

    monkeypatch.delenv('DYNET_KEEP_FREED_MEMORY', raising=False)
    monkeypatch.setattr(ctypes, 'CDLL', lambda name: FakeLibc())
    assert _host_memory.keep_freed_memory() is True
    assert calls == [(-3, 64 * 2 ** 20), (-1, 256 * 2 ** 20)]
    # And the real call succeeds (mallopt returns 1 when it accepts).
    monkeypatch.undo()
    assert _host_memory.keep_freed_memory() is True
