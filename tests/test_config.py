import os
import subprocess
import sys
import threading

import numpy
import pytest

import dynet
from dynet import config, global_config, using_config


def test_defaults():
    assert config.train is True
    assert config.enable_backprop is True
    assert config.type_check is True
    assert config.debug is False
    assert config.dtype == numpy.float32


def test_using_config_restores_even_on_error():
    with pytest.raises(KeyError):
        with using_config('train', False):
            assert config.train is False
            raise KeyError
    assert config.train is True


def test_nesting():
    with using_config('train', False):
        with using_config('train', True):
            assert config.train is True
        assert config.train is False
    assert config.train is True


def test_local_config_is_per_thread():
    seen = []
    with using_config('train', False):
        thread = threading.Thread(target=lambda: seen.append(config.train))
        thread.start()
        thread.join()
    assert seen == [True]


def test_global_change_is_seen_by_threads():
    old = global_config.keep_graph_on_report
    try:
        global_config.keep_graph_on_report = True
        seen = []
        thread = threading.Thread(
            target=lambda: seen.append(config.keep_graph_on_report))
        thread.start()
        thread.join()
        assert seen == [True]
    finally:
        global_config.keep_graph_on_report = old


def test_no_backprop_and_force_backprop():
    with dynet.no_backprop_mode():
        assert not config.enable_backprop
        with dynet.force_backprop_mode():
            assert config.enable_backprop
    assert config.enable_backprop


def test_debug_helpers():
    assert not dynet.is_debug()
    with dynet.DebugMode(True):
        assert dynet.is_debug()
    assert not dynet.is_debug()


def test_get_dtype():
    assert dynet.get_dtype() == numpy.float32
    assert dynet.get_dtype(numpy.float16) == numpy.float16
    with using_config('dtype', numpy.float64):
        assert dynet.get_dtype() == numpy.float64


def test_unknown_key_raises_attribute_error():
    with pytest.raises(AttributeError):
        config.no_such_key


def test_show_lists_keys():
    import io
    out = io.StringIO()
    config.show(out)
    assert 'type_check' in out.getvalue() and 'train' in out.getvalue()


def _run(env_updates, code):
    env = dict(os.environ, **env_updates)
    env['PYTHONPATH'] = os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))
    return subprocess.run([sys.executable, '-c', code], env=env,
                          capture_output=True, text=True)


def test_environment_overrides():
    result = _run({'DYNET_DEBUG': '1', 'DYNET_TYPE_CHECK': '0',
                   'DYNET_DTYPE': 'float16'},
                  'import dynet; c = dynet.config; '
                  'print(c.debug, c.type_check, c.dtype)')
    assert result.stdout.split() == ['True', 'False', 'float16']


def test_bad_environment_value_is_a_clear_error():
    result = _run({'DYNET_DEBUG': 'yes'}, 'import dynet')
    assert result.returncode != 0
    assert 'DYNET_DEBUG must be "0" or "1"' in result.stderr


def test_print_runtime_info():
    import io
    out = io.StringIO()
    dynet.print_runtime_info(out)
    text = out.getvalue()
    assert 'dynet: ' + dynet.__version__ in text
    assert 'NumPy: ' + numpy.__version__ in text and 'CuPy' in text
