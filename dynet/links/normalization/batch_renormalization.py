"""Batch renormalization layer."""
import numpy

from dynet.config import config
from dynet.functions.normalization.batch_normalization import (
    fixed_batch_normalization)
from dynet.functions.normalization.batch_renormalization import (
    batch_renormalization)
from dynet.links.normalization.batch_normalization import (
    BatchNormalization, running_decay)


class BatchRenormalization(BatchNormalization):
    """Batch renormalization layer: batch normalization whose batch
    statistics are corrected towards the running ones (see
    :func:`~dynet.functions.batch_renormalization`). In testing mode
    (``config.train`` False) it is
    :func:`~dynet.functions.fixed_batch_normalization` with the running
    statistics, as :class:`BatchNormalization`.

    Args:
        size (int or tuple of ints): the shape of the channel axes.
        rmax (float): the bound of the variance correction ``r``.
        dmax (float): the bound of the mean correction ``d``.
        decay, eps, dtype, use_gamma, use_beta, initial_gamma,
            initial_beta: as :class:`BatchNormalization` (``dtype`` defaults
            to float32).
        freeze_running_statistics (bool): in training mode, leave
            ``avg_mean``, ``avg_var`` and ``N`` unchanged.
    """

    def __init__(self, size, rmax=1, dmax=0, decay=0.9, eps=2e-5,
                 dtype=numpy.float32, use_gamma=True, use_beta=True,
                 initial_gamma=None, initial_beta=None,
                 freeze_running_statistics=False):
        super().__init__(size, decay, eps, dtype, use_gamma, use_beta,
                         initial_gamma, initial_beta)
        self.rmax = rmax
        self.dmax = dmax
        self.freeze_running_statistics = freeze_running_statistics
        self._prev_avg_mean = None
        self._prev_avg_var = None

    def forward(self, x, finetune=False):
        """Normalizes ``x`` (see :class:`BatchNormalization` for the modes
        and ``finetune``)."""
        if self.avg_mean is None:
            self._initialize_params(self._channel_shape(x))
        gamma, beta = self._scale_and_shift(x.dtype)
        if not config.train:
            return fixed_batch_normalization(
                x, gamma, beta, self.avg_mean, self.avg_var, self.eps)
        decay, update = running_decay(self, finetune)
        avg_mean, avg_var = self.avg_mean, self.avg_var
        if not update:
            # Recomputed forward (F.forget): r and d must come from the
            # statistics of the first pass, which are not updated again.
            if self._prev_avg_mean is not None:
                avg_mean, avg_var = self._prev_avg_mean, self._prev_avg_var
                self._prev_avg_mean = self._prev_avg_var = None
        elif self.freeze_running_statistics:
            if finetune:
                self.N -= 1
            update = False
        elif getattr(config, '_will_recompute', False):
            self._prev_avg_mean = avg_mean.copy()
            self._prev_avg_var = avg_var.copy()
        return batch_renormalization(
            x, gamma, beta, self.rmax, self.dmax, self.eps, avg_mean,
            avg_var, decay, update_statistics=update)
