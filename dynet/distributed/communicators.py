"""``create_communicator``: the communicator of a name."""
import warnings

from dynet.distributed import _mpi
from dynet.distributed import global_except_hook

# ChainerMN v6 names dropped in Chainer v7; they were NCCL-based.
_OLD_GPU_NAMES = ('hierarchical', 'two_dimensional', 'single_node')
NAMES = ('pure_nccl', 'flat', 'naive', 'non_cuda_aware', 'dummy') + \
    _OLD_GPU_NAMES


def create_communicator(communicator_name='pure_nccl', mpi_comm=None,
                        **kwargs):
    """Creates a communicator (collective: every rank must call it).

    ============== ===== ===== =============================================
    name           CPU   GPU   how gradients are averaged
    ============== ===== ===== =============================================
    pure_nccl            yes   one NCCL all-reduce of a packed GPU buffer
    flat           yes   yes   one MPI all-reduce of a packed buffer (GPU
                               arrays staged through host memory)
    naive          yes   yes   one MPI all-reduce per parameter
    non_cuda_aware yes   yes   same as flat (host staging)
    dummy          yes   yes   no communication (for timing only)
    ============== ===== ===== =============================================

    'hierarchical', 'two_dimensional' and 'single_node' (ChainerMN v6,
    removed in v7) are accepted with a DeprecationWarning and give
    'pure_nccl'.

    The first call also installs :mod:`~dynet.distributed.global_except_hook`
    so that an uncaught exception on any rank aborts the whole job instead
    of hanging it.

    Args:
        communicator_name (str): one of the names above. The default,
            'pure_nccl', needs CuPy with NCCL; use 'flat' on CPUs.
        mpi_comm: the mpi4py communicator to use (default
            ``MPI.COMM_WORLD``).
        allreduce_grad_dtype: ('pure_nccl' only) dtype the gradients are
            summed in: numpy.float16, float32 or float64.
        batched_copy: accepted for compatibility; ignored.

    Returns:
        a :class:`~dynet.distributed.CommunicatorBase`.
    """
    if not isinstance(communicator_name, str) or \
            communicator_name not in NAMES:
        raise ValueError('create_communicator: unknown communicator_name '
                         '{!r}; expected one of {}'.format(
                             communicator_name, ', '.join(NAMES)))
    allreduce_grad_dtype = kwargs.pop('allreduce_grad_dtype', None)
    kwargs.pop('batched_copy', None)
    if kwargs:
        raise TypeError('create_communicator: unexpected arguments {}'.format(
            ', '.join(sorted(kwargs))))
    if communicator_name in _OLD_GPU_NAMES:
        warnings.warn(
            "create_communicator: {!r} was removed in Chainer v7; using "
            "'pure_nccl'".format(communicator_name), DeprecationWarning,
            stacklevel=2)
        communicator_name = 'pure_nccl'
    if communicator_name != 'pure_nccl' and allreduce_grad_dtype is not None:
        raise ValueError("create_communicator: allreduce_grad_dtype is only "
                         "available with the 'pure_nccl' communicator, not "
                         "{!r}".format(communicator_name))

    _mpi.import_mpi()   # a clear ImportError before anything else
    # Installed first, so that a rank failing below stops the others.
    global_except_hook._add_hook_if_enabled()
    if communicator_name == 'pure_nccl':
        from dynet.distributed.pure_nccl_communicator import \
            PureNcclCommunicator
        comm = PureNcclCommunicator(
            mpi_comm, allreduce_grad_dtype=allreduce_grad_dtype)
    elif communicator_name == 'naive':
        from dynet.distributed.naive_communicator import NaiveCommunicator
        comm = NaiveCommunicator(mpi_comm)
    elif communicator_name == 'dummy':
        from dynet.distributed.flat_communicator import DummyCommunicator
        comm = DummyCommunicator(mpi_comm)
    else:  # 'flat', 'non_cuda_aware'
        from dynet.distributed.flat_communicator import FlatCommunicator
        comm = FlatCommunicator(mpi_comm)
    return comm
