"""Where the ranks of a communicator run: intra- and inter-node ranks.

Every rank sends its host name (``MPI.Get_processor_name()``) to all the
others. Hosts are numbered in the order of their lowest rank, so the host
of rank 0 is node 0; within a host, processes are numbered by rank.
"""
import collections

Topology = collections.namedtuple(
    'Topology', ['intra_rank', 'intra_size', 'inter_rank', 'inter_size'])


def topology_from_hostnames(hostnames, rank):
    """The topology of ``rank`` given the host name of every rank.

    >>> topology_from_hostnames(['a', 'b', 'a', 'b'], 2)
    Topology(intra_rank=1, intra_size=2, inter_rank=0, inter_size=2)
    """
    nodes = []
    for name in hostnames:
        if name not in nodes:
            nodes.append(name)
    mine = hostnames[rank]
    same_host = [r for r, name in enumerate(hostnames) if name == mine]
    return Topology(intra_rank=same_host.index(rank),
                    intra_size=len(same_host),
                    inter_rank=nodes.index(mine),
                    inter_size=len(nodes))


def compute_topology(mpi_comm, MPI):
    """Collective: the ``Topology`` of this process in ``mpi_comm``."""
    hostnames = mpi_comm.allgather(MPI.Get_processor_name())
    return topology_from_hostnames(hostnames, mpi_comm.rank)
