"""Launching the MPI scripts of tests/distributed/_scripts.

The pytest process itself never initializes MPI: each test (or module
fixture) runs a script under ``mpiexec -n N`` with a timeout and checks its
output. Everything is skipped, with the reason, where mpiexec or mpi4py is
missing.
"""
import importlib.util
import os

import pytest

from dynet.distributed import _launcher

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       '_scripts')
TIMEOUT = 120

_unavailable = []


def _reason():
    if not _unavailable:
        _unavailable.append(_launcher.why_unavailable())
    return _unavailable[0]


def describe(result):
    return 'command: {}\nreturn code: {}\n--- stdout ---\n{}\n--- stderr ' \
        '---\n{}'.format(' '.join(result.args), result.returncode,
                         result.stdout[-6000:], result.stderr[-6000:])


def run_mpi(n, script, *args, timeout=TIMEOUT, env=None, check=True):
    """Runs ``_scripts/<script> *args`` on ``n`` ranks; fails the test on a
    timeout, and (with ``check``) on a non-zero exit."""
    reason = _reason()
    if reason is not None:
        pytest.skip(reason)
    result = _launcher.run_python(n, os.path.join(SCRIPTS, script), args,
                                  timeout=timeout, env=env)
    if result.returncode is None:
        pytest.fail('timed out after {} s\n{}'.format(timeout,
                                                      describe(result)))
    if check and result.returncode != 0:
        pytest.fail('the MPI run failed\n' + describe(result))
    return result


run_mpi.describe = describe


def load_script_module(name):
    """Imports ``_scripts/<name>.py`` (e.g. the shared inputs)."""
    spec = importlib.util.spec_from_file_location(
        'distributed_' + name, os.path.join(SCRIPTS, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def mpi():
    """``run_mpi`` (skips the test where MPI is unavailable)."""
    reason = _reason()
    if reason is not None:
        pytest.skip(reason)
    return run_mpi


@pytest.fixture(scope='session')
def inputs():
    return load_script_module('_inputs')
