"""ExponentialShift: multiplies an optimizer attribute by ``rate`` at every
call."""
from dynet.training.extensions._shift import ScaledShift


class ExponentialShift(ScaledShift):
    """Trainer extension shifting an optimizer attribute exponentially.

    After the ``t``-th call the attribute is ``init * rate ** t``; a
    typical use is an exponential decay of the learning rate. The value is
    also set (to ``init``) when training starts.

    Args:
        attr (str): the optimizer attribute, e.g. ``'lr'``.
        rate (float): the factor per call (non-negative).
        init (float): the value at ``t = 0``; None takes the optimizer's
            value when training starts.
        target (float): a bound: once the value goes past it (above it
            when ``rate > 1``, below it otherwise) the attribute stays at
            ``target``.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again, so a resumed run uses the
    same values as an uninterrupted one.
    """

    def __init__(self, attr, rate, init=None, target=None, optimizer=None):
        if rate < 0:
            raise ValueError('ExponentialShift: rate must not be negative, '
                             'got {}'.format(rate))
        super().__init__(attr, init, target, optimizer)
        self._rate = rate

    def factor(self, t):
        return self._rate ** t

    def past_target(self, value):
        return self._ratio_past_target(value, growing=self._rate > 1)
