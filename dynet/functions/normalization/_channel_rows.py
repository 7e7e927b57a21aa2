"""Per-channel statistics and scalings of an array as a 2-D matrix.

When the axes a normalization reduces over are a prefix and a suffix of
the array's axes (``(0, 2, 3)`` of an NCHW batch: the usual case), the
array is a ``(lead, channels * trail)`` matrix. Per-channel sums are then
a column sum (whole rows added at a time) followed by a small sum over
``trail``, and a per-channel factor is one row of ``channels * trail``
values broadcast down the matrix. Both run along long contiguous rows
whatever the spatial size, where reducing or broadcasting over the axes
directly runs along ``H * W`` elements: slow for 4x4 and 2x2 maps.
"""
import math

from dynet import backend


class ChannelRows:

    def __init__(self, lead, channels, trail):
        self.lead = lead
        self.channels = channels
        self.trail = trail

    @classmethod
    def of(cls, shape, axes):
        """The layout of an array of ``shape`` reduced over ``axes``
        (sorted), or None if the reduced axes are not a prefix plus a
        suffix of the axes or the array is empty."""
        ndim = len(shape)
        kept = [i for i in range(ndim) if i not in axes]
        if not kept or kept != list(range(kept[0], kept[-1] + 1)):
            return None
        first, last = kept[0], kept[-1] + 1
        sizes = [math.prod(shape[:first]), math.prod(shape[first:last]),
                 math.prod(shape[last:])]
        if 0 in sizes:
            return None
        return cls(*sizes)

    @property
    def reduced_size(self):
        return self.lead * self.trail

    def matrix(self, a):
        """``a`` (of the layout's shape) as the (lead, channels * trail)
        matrix (a view when ``a`` is contiguous)."""
        return a.reshape(self.lead, self.channels * self.trail)

    def sums(self, m):
        """Per-channel sums (channels,) of a matrix from ``matrix``."""
        return m.sum(axis=0).reshape(self.channels, self.trail).sum(axis=1)

    def row(self, v):
        """A per-channel vector as one matrix row (channels * trail,)."""
        xp = backend.get_array_module(v)
        return xp.repeat(v.reshape(-1), self.trail)
