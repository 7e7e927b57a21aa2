"""Public names of this category (re-exported by dynet.functions)."""
from dynet.functions.loss.absolute_error import absolute_error  # NOQA
from dynet.functions.loss.black_out import black_out  # NOQA
from dynet.functions.loss.contrastive import contrastive  # NOQA
from dynet.functions.loss.crf1d import argmax_crf1d  # NOQA
from dynet.functions.loss.crf1d import crf1d  # NOQA
from dynet.functions.loss.cross_covariance import cross_covariance  # NOQA
from dynet.functions.loss.ctc import connectionist_temporal_classification  # NOQA
from dynet.functions.loss.decov import decov  # NOQA
from dynet.functions.loss.discriminative_loss import (  # NOQA
    discriminative_margin_based_clustering_loss)
from dynet.functions.loss.hinge import hinge  # NOQA
from dynet.functions.loss.huber_loss import huber_loss  # NOQA
from dynet.functions.loss.mean_absolute_error import mean_absolute_error  # NOQA
from dynet.functions.loss.mean_squared_error import mean_squared_error  # NOQA
from dynet.functions.loss.negative_sampling import negative_sampling  # NOQA
from dynet.functions.loss.sigmoid_cross_entropy import sigmoid_cross_entropy  # NOQA
from dynet.functions.loss.softmax_cross_entropy import softmax_cross_entropy  # NOQA
from dynet.functions.loss.squared_error import squared_error  # NOQA
from dynet.functions.loss.triplet import triplet  # NOQA
from dynet.functions.loss.vae import bernoulli_nll  # NOQA
from dynet.functions.loss.vae import gaussian_kl_divergence  # NOQA
from dynet.functions.loss.vae import gaussian_nll  # NOQA

__all__ = [
    'absolute_error', 'argmax_crf1d', 'bernoulli_nll', 'black_out',
    'connectionist_temporal_classification', 'contrastive', 'crf1d',
    'cross_covariance', 'decov',
    'discriminative_margin_based_clustering_loss', 'gaussian_kl_divergence',
    'gaussian_nll', 'hinge', 'huber_loss', 'mean_absolute_error',
    'mean_squared_error', 'negative_sampling', 'sigmoid_cross_entropy',
    'softmax_cross_entropy', 'squared_error', 'triplet',
]
