"""``create_multi_node_evaluator``: an Evaluator whose results are the
means over the ranks."""
import types

import numpy

from dynet import backend
from dynet.distributed.communicator_base import CommunicatorBase


def create_multi_node_evaluator(actual_evaluator, communicator):
    """Makes ``actual_evaluator`` report the mean of every rank's results.

    Each rank evaluates its own part of the validation data (e.g. from
    ``scatter_dataset``); the dict that ``evaluate()`` returns is then
    averaged over the ranks, key by key, and every rank reports and returns
    the same means. With parts of equal size (``scatter_dataset``'s
    default) this is the mean over the whole validation set.

    The evaluator is changed in place (its ``evaluate`` method is replaced)
    and returned, so it stays an instance of its class. Every rank must run
    it at the same iterations and report the same keys; all ranks raise a
    ValueError if the keys differ.

    Args:
        actual_evaluator: an ``extensions.Evaluator`` (or anything with an
            ``evaluate()`` returning a dict of scalars).
        communicator: a communicator from ``create_communicator``.

    Returns:
        ``actual_evaluator``.
    """
    if not isinstance(communicator, CommunicatorBase):
        raise TypeError('create_multi_node_evaluator: communicator must be a '
                        'dynet.distributed communicator, got {}'.format(
                            type(communicator).__name__))
    local_evaluate = getattr(actual_evaluator, 'evaluate', None)
    if not callable(local_evaluate):
        raise TypeError('create_multi_node_evaluator: actual_evaluator must '
                        'have an evaluate() method, got {}'.format(
                            type(actual_evaluator).__name__))

    def evaluate(self):
        try:
            result = local_evaluate()
        except Exception as error:
            # The other ranks are about to wait for this one's results:
            # tell them it has none, so that they raise too.
            try:
                _exchange_reports(communicator, None, '{}: {}'.format(
                    type(error).__name__, error))
            except ValueError:
                pass   # this rank raises its own error
            raise
        return mean_over_ranks(result, communicator)

    actual_evaluator._mn_original_evaluate = local_evaluate
    actual_evaluator._mn_communicator = communicator
    actual_evaluator.evaluate = types.MethodType(evaluate, actual_evaluator)
    return actual_evaluator


def mean_over_ranks(result, communicator):
    """Collective: the mean over the ranks of each value of the dict
    ``result`` (scalars: Python numbers, NumPy/CuPy scalars or 0-dim
    arrays). Values come back as NumPy scalars of their dtype (floats for
    integer inputs)."""
    keys = sorted(result)
    try:
        values, dtypes = _scalars(result, keys)
        problem = None
    except ValueError as error:
        problem = str(error)
    _exchange_reports(communicator, keys, problem)
    total = communicator.allreduce(values)
    return {key: dtype.type(total[i] / communicator.size)
            for i, (key, dtype) in enumerate(zip(keys, dtypes))}


def _exchange_reports(communicator, keys, problem):
    """Collective: every rank learns every other's keys and problem (a
    message, or None), so that all of them raise together instead of some
    waiting for the sum."""
    reports = communicator.allgather_obj((keys, problem))
    for rank, (other_keys, other_problem) in enumerate(reports):
        if other_problem is not None:
            raise ValueError('multi-node evaluator: the evaluation failed on '
                             'rank {}: {}'.format(rank, other_problem))
        if other_keys != reports[0][0]:
            raise ValueError(
                'multi-node evaluator: rank 0 reported {} but rank {} '
                'reported {}; every rank must report the same values (is '
                "one rank's validation data empty?)".format(
                    reports[0][0], rank, other_keys))


def _scalars(result, keys):
    """The values of ``result`` as a float64 vector, and the dtype each is
    returned in."""
    values = numpy.empty(len(keys), numpy.float64)
    dtypes = []
    for i, key in enumerate(keys):
        value = result[key]
        if backend.is_cupy_array(value):
            value = value.get()
        value = numpy.asarray(value)
        if value.size != 1 or value.dtype.kind not in 'biuf':
            raise ValueError('multi-node evaluator: the value of {!r} must '
                             'be a real scalar, got {} of shape {}'.format(
                                 key, value.dtype, value.shape))
        values[i] = value.reshape(())
        dtypes.append(value.dtype if value.dtype.kind == 'f'
                      else numpy.dtype(numpy.float64))
    return values, dtypes
