"""unchain_variables: frees the graphs held by observed Variables."""
from dynet.config import config
from dynet.training import extension
from dynet.variable import Variable


class unchain_variables(extension.Extension):  # NOQA: Chainer's name
    """Trainer extension cutting the graph of every observed Variable.

    It runs after all other extensions (priority 0), in iterations in
    which ``config.keep_graph_on_report`` was on during the update (when it
    is off, observed Variables hold no graph), and calls
    ``unchain_backward()`` on each Variable of the observation, so that a
    graph kept for reporting is released even if no extension did it.
    """

    priority = 0

    def __init__(self):
        self._prev_flag = None

    def initialize(self, _):
        self._prev_flag = config.keep_graph_on_report

    def trigger(self, _):
        """Fires when the flag was on at the previous check (i.e. during
        this iteration's update)."""
        flag = self._prev_flag
        self._prev_flag = config.keep_graph_on_report
        return bool(flag)

    def __call__(self, trainer):
        for value in trainer.observation.values():
            if isinstance(value, Variable):
                value.unchain_backward()
