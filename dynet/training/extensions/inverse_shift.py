"""InverseShift: the ``inv`` policy of Caffe,
``init * (1 + gamma * t) ** (-power)``."""
from dynet.training.extensions._shift import ScaledShift


class InverseShift(ScaledShift):
    """Trainer extension shifting an optimizer attribute as
    ``init * (1 + gamma * t) ** (-power)`` after the ``t``-th call.

    The value is also set (to ``init``) when training starts. A typical
    use is decreasing the learning rate.

    Args:
        attr (str): the optimizer attribute.
        gamma (float): see the formula (non-negative).
        power (float): see the formula.
        init (float): the value at ``t = 0``; None takes the optimizer's
            value when training starts.
        target (float): a bound: once the value goes past it (above it
            when ``power < 0``, below it otherwise) the attribute stays at
            ``target``.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again.
    """

    def __init__(self, attr, gamma, power, init=None, target=None,
                 optimizer=None):
        if gamma < 0:
            raise ValueError('InverseShift: gamma must not be negative, got '
                             '{}'.format(gamma))
        super().__init__(attr, init, target, optimizer)
        self._gamma = gamma
        self._power = power

    def factor(self, t):
        return (1 + self._gamma * t) ** (-self._power)

    def past_target(self, value):
        return self._ratio_past_target(value, growing=self._power < 0)
