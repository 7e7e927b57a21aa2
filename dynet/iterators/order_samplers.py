"""Order samplers: the order in which an iterator visits examples."""
import numpy


class OrderSampler:
    """``sampler(current_order, current_position)`` -> the next epoch's
    order (a permutation of ``len(current_order)`` indexes)."""

    def __call__(self, current_order, current_position):
        raise NotImplementedError

    def serialize(self, serializer):
        """Saves or loads the sampler's random state, if any."""


class ShuffleOrderSampler(OrderSampler):
    """A fresh random permutation every epoch.

    Args:
        random_state: a ``numpy.random.RandomState``; None uses NumPy's
            global one (as Chainer does).
    """

    def __init__(self, random_state=None):
        self._random_state = random_state

    @property
    def random_state(self):
        if self._random_state is None:
            return numpy.random.mtrand._rand
        return self._random_state

    def __call__(self, current_order, current_position):
        return self.random_state.permutation(len(current_order))

    def serialize(self, serializer):
        # Only a private RandomState is saved; the global one belongs to
        # the whole program (snapshots save it separately).
        if self._random_state is None:
            return
        state = self._random_state.get_state()
        keys = serializer('random_state_keys', state[1])
        position = serializer('random_state_pos', state[2])
        self._random_state.set_state(
            (state[0], numpy.asarray(keys, dtype=numpy.uint32),
             int(position), state[3], state[4]))
