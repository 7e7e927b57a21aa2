"""``create_multi_node_optimizer``: an optimizer whose steps use the mean of
every rank's gradients."""
from dynet.distributed.communicator_base import CommunicatorBase


class _MultiNodeOptimizer:
    """Wraps an optimizer; see :func:`create_multi_node_optimizer`.

    Every attribute other than its own (``communicator``,
    ``actual_optimizer``, ``zero_fill``) is read from and written to the
    wrapped optimizer, so ``optimizer.lr``, ``optimizer.target``,
    ``optimizer.serialize(...)`` ... work as before.
    """

    _own_attributes = ('communicator', 'actual_optimizer', 'zero_fill')

    def __init__(self, actual_optimizer, communicator, zero_fill):
        object.__setattr__(self, 'communicator', communicator)
        object.__setattr__(self, 'actual_optimizer', actual_optimizer)
        object.__setattr__(self, 'zero_fill', zero_fill)
        # [(name, initialized)] of the parameters as last synchronized.
        object.__setattr__(self, '_synchronized', None)

    def setup(self, link):
        self.actual_optimizer.setup(link)
        object.__setattr__(self, '_synchronized', None)
        return self

    def update(self, lossfun=None, *args, **kwds):
        """One step.

        With ``lossfun``, computes the loss and its gradients first (as
        ``Optimizer.update`` does). Then, if the set of initialized
        parameters changed since the last step (the first step, or after
        lazily shaped links initialized themselves), rank 0's parameters
        are broadcast and *no update is made* this step (the gradients
        were computed with parameters that differed between ranks; this is
        ChainerMN's behaviour). Otherwise the gradients are averaged over
        the ranks and the wrapped optimizer updates.
        """
        self._compute_gradients(lossfun, args, kwds)
        target = self.actual_optimizer.target
        if self._parameters_changed(target):
            self._before_broadcast()
            self.communicator.bcast_data(target)
        else:
            self._update_with_mean(target, args, kwds)

    def _compute_gradients(self, lossfun, args, kwds):
        if lossfun is None:
            return
        target = self.actual_optimizer.target
        loss = lossfun(*args, **kwds)
        target.cleargrads()
        loss.backward(loss_scale=getattr(self.actual_optimizer,
                                         'loss_scale', None))
        del loss

    def _update_with_mean(self, target, args, kwds):
        self.communicator.multi_node_mean_grad(target, self.zero_fill)
        self.actual_optimizer.update(None, *args, **kwds)

    def _before_broadcast(self):
        pass

    @staticmethod
    def _parameter_state(target):
        return [(name, param.array is not None) for name, param in
                sorted(target.namedparams(), key=lambda item: item[0])]

    def _parameters_changed(self, target):
        state = self._parameter_state(target)
        changed = state != self._synchronized
        object.__setattr__(self, '_synchronized', state)
        return changed

    @property
    def needs_broadcast(self):
        """Whether the next ``update`` broadcasts rank 0's parameters
        instead of updating. Set it to False when every rank has loaded
        the same snapshot (the checkpointer's ``maybe_load`` does), so that
        training resumes without a skipped step."""
        target = self.actual_optimizer.target
        return target is None or \
            self._parameter_state(target) != self._synchronized

    def __getattr__(self, name):
        return getattr(object.__getattribute__(self, 'actual_optimizer'),
                       name)

    def __setattr__(self, name, value):
        if name == 'needs_broadcast':
            target = self.actual_optimizer.target
            state = None if value or target is None else \
                self._parameter_state(target)
            object.__setattr__(self, '_synchronized', state)
        elif name in self._own_attributes:
            object.__setattr__(self, name, value)
        else:
            setattr(self.actual_optimizer, name, value)

    def __repr__(self):
        return '<multi-node {!r} over {!r}>'.format(self.actual_optimizer,
                                                    self.communicator)


class _DoubleBufferingOptimizer(_MultiNodeOptimizer):
    """Overlaps the gradient average of step t with the computation of
    step t + 1: step t + 1 updates the parameters with the averaged
    gradients of step t."""

    def __init__(self, actual_optimizer, communicator, zero_fill):
        super().__init__(actual_optimizer, communicator, zero_fill)
        object.__setattr__(self, '_pending', None)

    def _before_broadcast(self):
        # Gradients still being averaged belong to parameters about to be
        # overwritten: wait for them (the ranks must stay in step) and
        # drop them.
        pending = self._pending
        object.__setattr__(self, '_pending', None)
        if pending is not None:
            pending.finish()

    def _update_with_mean(self, target, args, kwds):
        previous = self._pending
        # Copies this step's gradients and starts averaging them...
        object.__setattr__(self, '_pending',
                           self.communicator._start_mean_grad(
                               target, self.zero_fill))
        if previous is None:
            return   # nothing averaged yet: the first step only starts
        # ... then updates with the previous step's mean.
        previous.finish()
        self.actual_optimizer.update(None, *args, **kwds)


def create_multi_node_optimizer(actual_optimizer, communicator,
                                double_buffering=False, zero_fill=True):
    """Makes an optimizer train one model over all ranks (data parallel).

    Each rank computes gradients on its own mini-batch; ``update()``
    replaces them by their mean over the ranks
    (``communicator.multi_node_mean_grad``) and lets ``actual_optimizer``
    update, so every rank makes the same step and the models stay equal.
    With the mean loss of equal-sized batches on every rank, a step equals
    the single-process step on the concatenated batch.

    The first ``update()`` (and any after the set of initialized parameters
    changes) broadcasts rank 0's parameters instead of updating.

    Args:
        actual_optimizer: the optimizer to wrap (set up before or after).
        communicator: a communicator from ``create_communicator``.
        double_buffering (bool): average the gradients of step t in the
            background while step t + 1 is computed; step t + 1 then
            updates with step t's mean gradients (one step stale; the first
            step after the broadcast makes no update, and the last step's
            gradients are never applied). Faster when communication is
            slow, at the cost of possibly slightly different convergence.
            ChainerMN allows it only with 'pure_nccl'; dynet with every
            communicator (MPI ones use a background thread).
        zero_fill (bool): passed to ``multi_node_mean_grad``: parameters
            without a gradient count as zero (True), or are left out
            (False; every rank must then have the same gradients).

    Returns:
        the wrapped optimizer.
    """
    if not isinstance(communicator, CommunicatorBase):
        raise TypeError('create_multi_node_optimizer: communicator must be '
                        'a dynet.distributed communicator, got {}'.format(
                            type(communicator).__name__))
    if not callable(getattr(actual_optimizer, 'update', None)) or \
            not callable(getattr(actual_optimizer, 'setup', None)):
        raise TypeError('create_multi_node_optimizer: actual_optimizer must '
                        'be an Optimizer, got {}'.format(
                            type(actual_optimizer).__name__))
    if double_buffering:
        if not hasattr(communicator, '_start_mean_grad'):
            raise ValueError('create_multi_node_optimizer: {} does not '
                             'support double buffering'.format(
                                 type(communicator).__name__))
        return _DoubleBufferingOptimizer(actual_optimizer, communicator,
                                         bool(zero_fill))
    return _MultiNodeOptimizer(actual_optimizer, communicator,
                               bool(zero_fill))
