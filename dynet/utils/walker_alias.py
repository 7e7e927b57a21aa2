"""Walker's alias method: O(1) sampling from a fixed discrete distribution.

``chainer.utils.WalkerAlias`` API. The table is a list of ``n`` slots of
equal probability ``1 / n``; slot ``k`` holds a threshold ``threshold[k]``
and two outcomes ``values[2k]`` (taken when a uniform draw inside the slot
falls at or below the threshold) and ``values[2k + 1]`` (its alias, taken
above it). The table is built in float32 in the same order as Chainer, and
sampling draws ``numpy.random.uniform(0, n, shape)`` from NumPy's global
random state, so a given seed gives Chainer's samples.
"""
import numpy

from dynet import backend


def _alias_table(probs):
    """Builds ``(threshold, values)`` from non-negative weights.

    Outcomes are visited from the least to the most probable (ties by
    index). Each outcome opens one slot; an outcome whose scaled mass
    ``p * n`` exceeds 1 first tops up the earlier slots whose alias is still
    free, in the order they were opened, and keeps the remainder as the
    threshold of its own slot. Slots whose alias is never set (their
    threshold is 1 up to rounding) get outcome 0 as alias.
    """
    n = len(probs)
    threshold = numpy.empty(n, numpy.float32)
    values = numpy.zeros(2 * n, numpy.int32)
    one = numpy.float32(1)
    order = sorted(zip(probs, range(n)))
    opened = 0        # slots opened so far
    first_free = 0    # first opened slot whose alias is not yet set
    for prob, index in order:
        mass = numpy.float32(prob * n)
        while mass > one and first_free < opened:
            values[2 * first_free + 1] = index
            mass = numpy.float32(mass - (one - threshold[first_free]))
            first_free += 1
        threshold[opened] = mass
        values[2 * opened] = index
        opened += 1
    return threshold, values


class WalkerAlias:
    """Samples integers ``0 .. n-1`` with probabilities proportional to
    ``probs``, in constant time per sample.

    Args:
        probs (sequence or array of non-negative numbers): unnormalized
            probabilities (e.g. word counts raised to a power); at least one
            must be positive.

    Attributes:
        threshold (ndarray): float32 per-slot thresholds, shape ``(n,)``.
        values (ndarray): int32 outcomes, shape ``(2 * n,)``.

    Raises:
        ValueError: if ``probs`` is empty, not one-dimensional, or has a
            negative, infinite or NaN entry, or sums to zero.
    """

    def __init__(self, probs):
        if backend.is_cupy_array(probs):
            probs = probs.get()
        prob = numpy.array(probs, numpy.float32)
        if prob.ndim != 1 or prob.size == 0:
            raise ValueError(
                'WalkerAlias: probs must be a non-empty 1-D sequence, got '
                'shape {}'.format(prob.shape))
        if not numpy.isfinite(prob).all() or (prob < 0).any():
            raise ValueError(
                'WalkerAlias: probs must be finite and non-negative, got '
                '{}'.format(prob))
        total = prob.sum()
        if not total > 0:
            raise ValueError('WalkerAlias: probs must not sum to zero')
        prob /= total
        self.threshold, self.values = _alias_table(prob)
        self._device = backend.CpuDevice()

    @property
    def device(self):
        """The device holding the table (``CpuDevice`` or ``GpuDevice``)."""
        return self._device

    @property
    def use_gpu(self):
        """True when the table lives on a GPU (CuPy)."""
        return isinstance(self._device, backend.GpuDevice)

    def to_device(self, device):
        """Moves the table to ``device`` (any device specifier)."""
        device = backend.get_device(device)
        self.threshold = device.send_array(self.threshold)
        self.values = device.send_array(self.values)
        self._device = device
        return self

    def to_gpu(self, device=None):
        """Moves the table to a GPU (the current one by default)."""
        if device is None:
            device = '@cupy'
        elif isinstance(device, (int, numpy.integer)):
            device = '@cupy:{}'.format(int(device))
        return self.to_device(device)

    def to_cpu(self):
        """Moves the table to the CPU."""
        return self.to_device(backend.CpuDevice())

    def sample(self, shape):
        """Draws an int32 array of ``shape`` on the table's device."""
        with self._device:
            return self.sample_xp(self._device.xp, shape)

    def sample_xp(self, xp, shape):
        """Draws samples with the random generator of module ``xp``."""
        n = len(self.threshold)
        draw = xp.random.uniform(0, n, shape)
        slot = xp.minimum(draw.astype(numpy.int32), n - 1)
        # Above the slot's threshold: take its alias (the odd entry).
        alias = self.threshold[slot] < (draw - slot).astype(numpy.float32)
        return self.values[slot * 2 + alias.astype(numpy.int32)]
