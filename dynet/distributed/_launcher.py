"""Running a Python script under ``mpiexec`` from Python (tests, benchmarks).

Open MPI refuses to start as root and to start more processes than there
are cores unless told; both are allowed here, since tests and benchmarks
run in containers as root on small machines. Every run has a timeout, and
on timeout the whole process group of ``mpiexec`` is killed, so a bug can
never hang the caller.
"""
import os
import shutil
import signal
import subprocess
import sys

_REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def find_mpiexec():
    """The path of ``mpiexec`` (or ``mpirun``), or None."""
    return shutil.which('mpiexec') or shutil.which('mpirun')


def mpi4py_available():
    """Whether mpi4py can be imported (checked in a subprocess, so that
    this process does not initialize MPI)."""
    result = subprocess.run([sys.executable, '-c', 'import mpi4py'],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=60)
    return result.returncode == 0


def why_unavailable():
    """A reason why MPI programs cannot be launched here, or None."""
    if find_mpiexec() is None:
        return ('mpiexec not found (install an MPI implementation, e.g. '
                'apt-get install openmpi-bin libopenmpi-dev)')
    if not mpi4py_available():
        return 'mpi4py is not installed (pip install mpi4py)'
    return None


def _is_open_mpi(mpiexec):
    try:
        out = subprocess.run([mpiexec, '--version'], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return 'Open MPI' in out or 'OpenRTE' in out


def mpiexec_command(n, args, mpiexec=None):
    """The command line running ``args`` (a list) on ``n`` processes."""
    mpiexec = mpiexec or find_mpiexec()
    if mpiexec is None:
        raise RuntimeError(why_unavailable())
    command = [mpiexec, '-n', str(n)]
    if _is_open_mpi(mpiexec):
        if hasattr(os, 'geteuid') and os.geteuid() == 0:
            command.append('--allow-run-as-root')
        if n > (os.cpu_count() or 1):
            command.append('--oversubscribe')
    return command + list(args)


def mpi_environment(extra=None):
    """The environment for the ranks: dynet importable from this checkout,
    one BLAS thread per rank (the ranks share the cores), root allowed,
    idle ranks yielding the CPU (Open MPI)."""
    env = dict(os.environ)
    path = env.get('PYTHONPATH')
    env['PYTHONPATH'] = _REPOSITORY if not path else \
        _REPOSITORY + os.pathsep + path
    env.setdefault('OMP_NUM_THREADS', '1')
    env.setdefault('OPENBLAS_NUM_THREADS', '1')
    env.setdefault('MKL_NUM_THREADS', '1')
    env['OMPI_ALLOW_RUN_AS_ROOT'] = '1'
    env['OMPI_ALLOW_RUN_AS_ROOT_CONFIRM'] = '1'
    # Waiting ranks give their core away instead of spinning: on a small,
    # shared machine a spinning rank slows down the one it waits for.
    env.setdefault('OMPI_MCA_mpi_yield_when_idle', '1')
    env.update(extra or {})
    return env


def run_python(n, script, script_args=(), timeout=120, env=None, cwd=None):
    """Runs ``python script *script_args`` on ``n`` ranks.

    Returns a ``subprocess.CompletedProcess`` (``stdout``/``stderr`` as
    text); ``returncode`` is None when the run timed out (and was killed).
    """
    command = mpiexec_command(
        n, [sys.executable, script] + [str(a) for a in script_args])
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        errors='replace',
        env=mpi_environment(env), cwd=cwd, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        returncode = process.returncode
    except subprocess.TimeoutExpired:
        # mpiexec leads its own session: end it and every rank it started.
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        returncode = None
    return subprocess.CompletedProcess(command, returncode, stdout, stderr)
