"""``ObservationAggregator``: a reported value averaged over the ranks."""
from dynet import backend
from dynet.training import extension
from dynet.training import triggers


class ObservationAggregator(extension.Extension):
    """Trainer extension replacing an observation by its mean over the
    ranks and over the iterations since the last communication.

    Register it on every rank (it is collective) and the reporting
    extensions (LogReport, PrintReport ...) on rank 0 only: they then show
    e.g. the loss of the whole job instead of rank 0's.

    Args:
        comm: a communicator from ``create_communicator``.
        original_key (str): the observation to aggregate, e.g.
            'main/loss'.
        aggregated_key (str): where to put the result (default:
            ``original_key``, overwritten).
        comm_trigger: when to communicate (default every iteration); in
            between, values are only collected.
        aggregator: ``aggregator(histories)`` computes the result from the
            list (one per rank) of lists of the values collected since the
            last communication; default: the mean of all of them.
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_EDITOR
    name = None

    def __init__(self, comm, original_key, aggregated_key=None, *,
                 comm_trigger=(1, 'iteration'), aggregator=None):
        self.comm = comm
        self.original_key = original_key
        self.aggregated_key = original_key if aggregated_key is None \
            else aggregated_key
        self.comm_trigger = triggers.get_trigger(comm_trigger)
        self.aggregator = aggregator or _mean_of_all
        self.observation_history = []

    def __call__(self, trainer):
        summary = self.compute_summary(trainer)
        if summary is not None:
            trainer.observation[self.aggregated_key] = summary

    def compute_summary(self, trainer):
        """Collects this iteration's value; when ``comm_trigger`` fires,
        returns the aggregate of every rank's collected values (else
        None)."""
        if self.original_key in trainer.observation:
            value = trainer.observation[self.original_key]
            value = getattr(value, 'array', value)   # a Variable
            if backend.is_cupy_array(value):
                value = value.get()
            self.observation_history.append(value)
        if not self.comm_trigger(trainer):
            return None
        histories = self.comm.gather_obj(self.observation_history)
        self.observation_history = []
        summary = self.aggregator(histories) if self.comm.rank == 0 \
            else None
        return self.comm.bcast_obj(summary)


def _mean_of_all(histories):
    values = [value for history in histories for value in history]
    if not values:
        return None
    return sum(values) / len(values)
