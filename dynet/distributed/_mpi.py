"""The lazy import of mpi4py, and the small MPI helpers every module uses.

``import dynet`` and ``import dynet.distributed`` never load mpi4py (loading
it initializes MPI, which a single-process program must not pay for, and
which fails outright where no MPI library is installed). It is imported the
first time a communicator is created.
"""
import numpy

_INSTALL_HINT = (
    'dynet.distributed needs mpi4py and an MPI implementation: install an '
    'MPI library (e.g. Open MPI: `apt-get install openmpi-bin '
    'libopenmpi-dev`, or MPICH) and then `pip install mpi4py`, and launch '
    'the program with `mpiexec -n N python script.py`')

# Messages are split into pieces of at most this many elements (or bytes):
# MPI counts are C ints, so a single message cannot exceed 2**31 - 1.
MAX_COUNT = 2 ** 30


def import_mpi():
    """Returns ``mpi4py.MPI``; raises ImportError with install hints."""
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise ImportError('{} ({}: {})'.format(
            _INSTALL_HINT, type(e).__name__, e)) from e
    return MPI


def is_mpi_comm(obj):
    """Whether ``obj`` is an mpi4py communicator (without importing mpi4py
    when it is not loaded)."""
    module = type(obj).__module__ or ''
    return module.startswith('mpi4py') and hasattr(obj, 'Get_rank')


def reduce_dtype(dtype):
    """The dtype an array of ``dtype`` is summed in over MPI.

    MPI has no half-precision type, so float16 is summed in float32; other
    numeric types are summed as they are. Booleans, strings and objects
    cannot be summed.
    """
    dtype = numpy.dtype(dtype)
    if dtype == numpy.float16:
        return numpy.dtype(numpy.float32)
    if dtype.kind not in 'iufc':
        raise TypeError('cannot sum arrays of dtype {} over MPI (expected a '
                        'numeric dtype)'.format(dtype))
    return dtype


def chunk_bounds(total, chunk):
    """``(start, stop)`` pairs covering ``range(total)`` in pieces of at
    most ``chunk``; one empty piece when ``total`` is 0 (so that every
    rank still takes part in the communication)."""
    if total == 0:
        return [(0, 0)]
    return [(start, min(start + chunk, total))
            for start in range(0, total, chunk)]
