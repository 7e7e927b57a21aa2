"""Rank 1 dies (MODE: 'raise', 'kill' = SIGKILL, 'exit' = os._exit(3))
while rank 0 waits for it in a collective operation. The job must end,
non-zero, instead of hanging.

    mpiexec -n 2 python dead_rank.py MODE
"""
import os
import signal
import sys

import numpy

import dynet.distributed as dd


def main(mode):
    comm = dd.create_communicator('flat')
    x = numpy.ones(3, numpy.float32)
    comm.allreduce(x)
    print('rank {} is ready'.format(comm.rank), flush=True)
    if comm.rank == 1:
        if mode == 'raise':
            raise RuntimeError('simulated error on rank 1')
        if mode == 'kill':
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == 'exit':
            os._exit(3)
        raise ValueError('unknown mode {!r}'.format(mode))
    while True:   # rank 0 waits for rank 1 forever
        comm.allreduce(x)


if __name__ == '__main__':
    main(sys.argv[1])
