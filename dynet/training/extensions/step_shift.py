"""StepShift: multiplies an optimizer attribute by ``gamma`` every ``step``
calls."""
import math

from dynet.training.extensions._shift import ScaledShift


class StepShift(ScaledShift):
    """Trainer extension shifting an optimizer attribute in steps.

    After the ``t``-th call the attribute is
    ``init * gamma ** floor(t / step)``; a typical use is dividing the
    learning rate by 10 every ``step`` iterations. The value is also set
    (to ``init``) when training starts.

    Args:
        attr (str): the optimizer attribute.
        gamma (float): the factor applied every ``step`` calls.
        step (int): the interval, in calls.
        init (float): the value at ``t = 0``; None takes the optimizer's
            value when training starts.
        target (float): a bound: once the value goes past it (above it
            when ``gamma > 1``, below it otherwise) the attribute stays at
            ``target``.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again.
    """

    def __init__(self, attr, gamma, step, init=None, target=None,
                 optimizer=None):
        super().__init__(attr, init, target, optimizer)
        self._gamma = gamma
        self._step = step

    def factor(self, t):
        return self._gamma ** math.floor(t / self._step)

    def past_target(self, value):
        return self._ratio_past_target(value, growing=self._gamma > 1)
