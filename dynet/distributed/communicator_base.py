"""The interface of every communicator (``chainermn.CommunicatorBase``).

Methods without a suffix move NumPy/CuPy arrays; methods ending in ``_obj``
move picklable Python objects. All methods except ``send``/``recv``
(``send_obj``/``recv_obj``) are collective: every rank of the communicator
must call them, in the same order.
"""
import warnings


class CommunicatorBase:
    """Interface of the communicators made by
    :func:`~dynet.distributed.create_communicator`.

    Attributes (read-only):
        rank (int): this process's rank in the communicator.
        size (int): the number of processes.
        intra_rank (int): this process's rank among the processes of its
            host (use it to pick the GPU: ``get_device(comm.intra_rank)``).
        intra_size (int): the number of processes on this host.
        inter_rank (int): the number of this host (0 for rank 0's host).
        inter_size (int): the number of hosts.
    """

    @property
    def rank(self):
        raise NotImplementedError

    @property
    def size(self):
        raise NotImplementedError

    @property
    def intra_rank(self):
        raise NotImplementedError

    @property
    def intra_size(self):
        raise NotImplementedError

    @property
    def inter_rank(self):
        raise NotImplementedError

    @property
    def inter_size(self):
        raise NotImplementedError

    # ------------------------------------------------------------ arrays
    def split(self, color, key):
        """Splits the communicator (``MPI_Comm_split``): ranks passing the
        same ``color`` form one new communicator of the same kind, ordered
        by ``key``."""
        raise NotImplementedError

    def alltoall(self, xs):
        """Sends ``xs[i]`` to rank ``i``; returns the tuple of the arrays
        received from every rank (``len(xs)`` must equal ``size``)."""
        raise NotImplementedError

    def send(self, data, dest, tag):
        """Sends an array, or a tuple/list of arrays, to rank ``dest``."""
        raise NotImplementedError

    def recv(self, source, tag):
        """Receives what ``send`` sent: an array, or a tuple of arrays."""
        raise NotImplementedError

    def bcast(self, x, root=0):
        """Returns rank ``root``'s array ``x`` on every rank (``x`` is
        ignored elsewhere)."""
        raise NotImplementedError

    def gather(self, x, root=0):
        """Rank ``root`` gets the tuple of every rank's array (others get
        None)."""
        raise NotImplementedError

    def allgather(self, x):
        """Every rank gets the tuple of every rank's array."""
        raise NotImplementedError

    def allreduce(self, x):
        """The elementwise SUM of every rank's array (same shape and dtype
        on every rank), returned on every rank."""
        raise NotImplementedError

    def scatter(self, xs, root=0):
        """Rank ``root``'s ``xs[i]`` goes to rank ``i`` (``xs`` is a
        tuple/list of ``size`` arrays, or an array whose first axis has
        length ``size``); returns this rank's piece."""
        raise NotImplementedError

    # ----------------------------------------------------------- objects
    def send_obj(self, obj, dest, tag=0):
        """Sends a picklable object to rank ``dest``."""
        raise NotImplementedError

    def recv_obj(self, source, status=None, tag=None):
        """Receives an object sent by ``send_obj``."""
        raise NotImplementedError

    def bcast_obj(self, obj, max_buf_len=None, root=0):
        """Returns rank ``root``'s object on every rank."""
        raise NotImplementedError

    def gather_obj(self, obj, root=0):
        """Rank ``root`` gets the list of every rank's object, in rank
        order (others get None)."""
        raise NotImplementedError

    def allreduce_obj(self, obj):
        """The sum (``+``) of every rank's object, on every rank."""
        raise NotImplementedError

    # ------------------------------------------------------------ models
    def bcast_data(self, model):
        """Overwrites every initialized parameter of ``model`` with rank
        0's values."""
        raise NotImplementedError

    def broadcast_data(self, model):
        """Old name of :meth:`bcast_data`."""
        self.bcast_data(model)

    def multi_node_mean_grad(self, model, zero_fill=False):
        """Replaces the gradients of ``model`` by their mean over the ranks.

        Args:
            model (~dynet.Link): the model; its parameters must be the same
                (names, shapes) on every rank.
            zero_fill (bool): a parameter whose array is initialized but
                whose gradient is None (it was not used) takes part with a
                zero gradient and gets the mean; if False such parameters
                are left out, and every rank must then have gradients for
                the same parameters.
        """
        raise NotImplementedError

    def allreduce_grad(self, model, zero_fill=False):
        """Deprecated name of :meth:`multi_node_mean_grad` (it averages)."""
        warnings.warn('allreduce_grad() is deprecated; use '
                      'multi_node_mean_grad()', DeprecationWarning,
                      stacklevel=2)
        self.multi_node_mean_grad(model, zero_fill)

    def finalize(self):
        """Releases the resources of this communicator (its background
        thread, private MPI communicators, NCCL communicator); it must not be
        used afterwards. The MPI communicator it wraps is left alone."""
