"""PolynomialShift: ``init * (1 - t / max_count) ** rate``."""
from dynet.training.extensions._shift import ScaledShift


class PolynomialShift(ScaledShift):
    """Trainer extension decreasing an optimizer attribute polynomially.

    After the ``t``-th call the attribute is
    ``init * max(1 - t / max_count, 0) ** rate`` (it reaches 0 after
    ``max_count`` calls). The value is also set (to ``init``) when training
    starts. A typical use is the "poly" learning rate policy.

    Args:
        attr (str): the optimizer attribute.
        rate (float): the exponent.
        max_count (int): the number of calls after which the value is 0.
        init (float): the value at ``t = 0``; None takes the optimizer's
            value when training starts.
        target (float): a bound: once the value goes past it (below it
            when ``rate > 0``, above it otherwise) the attribute stays at
            ``target``.
        optimizer: the optimizer; None means the updater's 'main' one.

    The number of calls and the last value are saved with the trainer, and
    loading a snapshot sets the attribute again.
    """

    def __init__(self, attr, rate, max_count, init=None, target=None,
                 optimizer=None):
        super().__init__(attr, init, target, optimizer)
        self._rate = rate
        self._max_count = max_count

    def factor(self, t):
        return max(1 - t / self._max_count, 0) ** self._rate

    def past_target(self, value):
        if value == 0:
            # The decay is over: any non-zero bound has been passed.
            return self._target != 0
        ratio = self._target / value
        return ratio > 1 if self._rate > 0 else ratio < 1
