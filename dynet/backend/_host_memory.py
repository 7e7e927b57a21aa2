"""Keeping freed host memory for reuse (Linux with glibc only).

A training step allocates and frees the same large temporaries (patch
matrices, activations, gradients) every time. With glibc's defaults the
freed memory at the top of the heap goes back to the kernel as soon as
more than twice the last large block is free, and the next step faults
every page in again: on the 2-core benchmark VM that was a quarter of
the Conv-BN 10-20-40-80 train step (batch 32: 41-49 ms -> 31-33 ms).

So on import dynet serves blocks up to 64 MiB from the heap (larger ones
are still mapped and unmapped one by one) and returns heap memory only
when more than 256 MiB of it is free at the top: the process keeps up to
that much freed memory, much as GPU frameworks keep freed device memory.
``DYNET_KEEP_FREED_MEMORY=0`` in the environment leaves malloc alone.
"""
import ctypes
import os

MMAP_THRESHOLD = 64 * 2 ** 20
TRIM_THRESHOLD = 256 * 2 ** 20

# mallopt parameter numbers from glibc's <malloc.h>.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def _glibc():
    try:
        return os.confstr('CS_GNU_LIBC_VERSION').startswith('glibc')
    except (AttributeError, ValueError, OSError):
        return False  # not a GNU C library (macOS, Windows, musl)


def keep_freed_memory():
    """Tune glibc's malloc as described above; returns whether it did
    (False off glibc or when ``DYNET_KEEP_FREED_MEMORY=0``)."""
    value = os.environ.get('DYNET_KEEP_FREED_MEMORY', '1')
    if value not in ('0', '1'):
        raise ValueError('environment variable DYNET_KEEP_FREED_MEMORY must '
                         'be "0" or "1", got {!r}'.format(value))
    if value == '0' or not _glibc():
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    # Both are set: setting either one alone turns off glibc's adaptive
    # thresholds and is slower than the defaults.
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
