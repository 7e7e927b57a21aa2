"""WeightStandardization: a link's weight standardized per output channel
(Qiao et al., https://arxiv.org/abs/1903.10520)."""
import numbers

from dynet.link_hooks import _weight_hook


class WeightStandardization(_weight_hook.WeightHook):
    """Weight standardization of a link's weight.

    While the link's forward runs, its weight ``W`` (output channels on
    axis 0) is replaced by ``(W - mean) / sqrt(var + eps)``, where the mean
    and the (biased) variance of each output channel ``W[i]`` are taken
    over all its other elements. Gradients flow through the statistics to
    ``W``. Meant for convolutions (typically followed by group or batch
    normalization); it also works for Linear, EmbedID and any link whose
    weight has at least 2 axes.

    Add it to one link (it cannot be used in a ``with`` statement)::

        conv = L.Convolution2D(3, 8, 3).add_hook(
            link_hooks.WeightStandardization())

    Args:
        eps (float): added to the variance (keyword only).
        weight_name (str): the name of the weight Parameter.
        name (str or None): the hook's name (default
            ``'WeightStandardization'``).
    """

    name = 'WeightStandardization'

    def __init__(self, *, eps=1e-5, weight_name='W', name=None):
        if not isinstance(eps, numbers.Real) or eps < 0:
            raise ValueError('{}: eps must be a number >= 0, got {!r}'
                             .format(type(self).__name__, eps))
        super().__init__(weight_name, name)
        self.eps = eps
        self._initialized = False

    def added(self, link):
        super().added(link)
        if getattr(link, self.weight_name).array is not None:
            self._initialized = True

    def _replacement(self, link, weight):
        from dynet.functions.normalization.group_normalization import (
            group_normalization)
        self._initialized = True
        if weight.ndim < 2:
            raise ValueError(
                '{}: the weight {!r} of {} must have at least 2 axes '
                '(output channels first), got shape {}'.format(
                    type(self).__name__, self.weight_name,
                    type(link).__name__, weight.shape))
        # Group normalization with one group, the output channels as the
        # batch and axis 1 as the channels, without scale and shift.
        xp = link.xp
        with link.device:
            channels = weight.shape[1]
            gamma = xp.ones((channels,), weight.dtype)
            beta = xp.zeros((channels,), weight.dtype)
            return group_normalization(weight, 1, gamma, beta, eps=self.eps)
