"""Discriminative margin-based clustering loss for instance segmentation
(De Brabandere et al., https://arxiv.org/abs/1708.02551)."""
import numpy

from dynet import backend
from dynet.functions import _check
from dynet.functions.loss import _util
from dynet.functions.loss._wrapper_check import as_array
from dynet.variable import Variable

_NAME = 'discriminative_margin_based_clustering_loss'


def _safe_sqrt(squares):
    """``sqrt(squares)`` whose gradient is 0 (not NaN) where it is 0."""
    from dynet.functions.array.where import where
    from dynet.functions.math.sqrt import sqrt
    xp = backend.get_array_module(squares.array)
    positive = squares.array > 0
    ones = xp.ones(squares.shape, squares.dtype)
    zeros = xp.zeros(squares.shape, squares.dtype)
    return where(positive, sqrt(where(positive, squares, ones)), zeros)


def _norm(x, axis, order):
    """L1 or L2 norm of the Variable ``x`` over ``axis``."""
    from dynet.functions.math.basic_math import absolute
    from dynet.functions.math.sum import sum as _sum
    if order == 1:
        return _sum(absolute(x), axis=axis)
    return _safe_sqrt(_sum(x * x, axis=axis))


class DiscriminativeMarginBasedClusteringLoss:
    """The loss of :func:`discriminative_margin_based_clustering_loss` as a
    callable object ``loss(embeddings, labels)``.

    Args:
        delta_v (float): distance from its instance's mean below which a
            pixel is not penalized.
        delta_d (float): half the distance between two instance means
            above which they are not penalized.
        max_embedding_dim (int): number of instances (labels ``1 ..
            max_embedding_dim``); must equal ``embeddings.shape[1]``.
        norm (int): 1 (L1) or 2 (L2) distances.
        alpha, beta, gamma (float): weights of the variance, distance and
            regularization terms.
    """

    def __init__(self, delta_v=0.5, delta_d=1.5, max_embedding_dim=10,
                 norm=1, alpha=1.0, beta=1.0, gamma=0.001):
        if not _util.is_int(max_embedding_dim) or max_embedding_dim <= 0:
            raise ValueError(
                '{}: max_embedding_dim must be a positive int, got '
                '{!r}'.format(_NAME, max_embedding_dim))
        if norm not in (1, 2) or isinstance(norm, bool):
            raise ValueError('{}: norm must be 1 or 2, got {!r}'.format(
                _NAME, norm))
        self.delta_v = delta_v
        self.delta_d = delta_d
        self.max_embedding_dim = int(max_embedding_dim)
        self.norm = norm
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma

    def _check(self, embeddings, labels):
        _check.float_kind(_NAME, 'embeddings', embeddings)
        _check.ndim_equal(_NAME, 'embeddings', embeddings, 4)
        if embeddings.shape[1] != self.max_embedding_dim:
            _check.fail(_NAME, 'embeddings.shape[1] == max_embedding_dim',
                        '{} != {}'.format(embeddings.shape[1],
                                          self.max_embedding_dim))
        if labels.dtype.kind not in 'iuf':
            _check.fail(_NAME, 'labels.dtype.kind in (i, u, f)',
                        'labels.dtype == {}'.format(labels.dtype))
        b, _, h, w = embeddings.shape
        if labels.shape != (b, h, w):
            _check.fail(_NAME, 'labels.shape == (embeddings.shape[0], '
                        'embeddings.shape[2], embeddings.shape[3])',
                        'labels.shape == {}, embeddings.shape == {}'.format(
                            labels.shape, embeddings.shape))

    def __call__(self, embeddings, labels):
        """Returns ``(alpha * variance, beta * distance, gamma *
        regularization)``, three 0-dim Variables of ``embeddings``'s dtype.
        """
        from dynet.functions.activation.relu import relu
        from dynet.functions.array.get_item import get_item
        from dynet.functions.array.reshape import reshape
        from dynet.functions.array.transpose import transpose
        from dynet.functions.connection.embed_id import embed_id
        from dynet.functions.math.matmul import matmul
        from dynet.functions.math.sum import sum as _sum

        labels = as_array(labels)
        self._check(as_array(embeddings), labels)
        e = as_array(embeddings)
        xp = backend.get_array_module(e)
        dtype = e.dtype
        n_inst = self.max_embedding_dim
        batch, channels, height, width = e.shape
        n_pixels = height * width

        # member[b, m, p]: pixel p of image b belongs to instance m + 1.
        flat_labels = labels.reshape(batch, n_pixels)
        ids = xp.arange(1, n_inst + 1, dtype=labels.dtype)
        member = flat_labels[:, None, :] == ids[None, :, None]
        counts = member.sum(axis=2)                            # (B, M)
        totals = counts.sum(axis=0)                            # (M,)

        # means[b, m]: mean embedding of instance m + 1 in image b (0 where
        # the instance is absent).
        pixels = transpose(reshape(embeddings, (batch, channels, n_pixels)),
                           (0, 2, 1))                          # (B, P, C)
        member_f = member.astype(dtype)
        sums = matmul(member_f, pixels)                        # (B, M, C)
        inverse = 1 / xp.maximum(counts, 1).astype(dtype)
        means = sums * xp.broadcast_to(inverse[:, :, None], sums.shape)

        # Variance term: each pixel's distance to its instance's mean,
        # summed per instance over the batch, divided by the instance's
        # pixel count and averaged over the instances.
        in_instance = (flat_labels >= 1) & (flat_labels <= n_inst)
        instance = xp.where(in_instance, flat_labels - 1, 0).astype(
            numpy.int32)
        rows = instance + n_inst * xp.arange(batch, dtype=numpy.int32)[
            :, None]
        own_mean = embed_id(rows, reshape(means, (batch * n_inst,
                                                  channels)))   # (B, P, C)
        pull = relu(_norm(own_mean - pixels, 2, self.norm) - self.delta_v)
        pull = reshape(pull * pull, (batch, n_pixels, 1))
        per_instance = _sum(matmul(member_f, pull), axis=(0, 2))  # (M,)
        inverse_total = 1 / xp.maximum(totals, 1).astype(dtype)
        variance = _sum(per_instance * inverse_total) / n_inst
        outside = max(-float(self.delta_v), 0.0) ** 2
        if outside:
            # A negative delta_v also charges every pixel outside an
            # instance (its offset counts as 0), as in Chainer.
            extra = float(((batch * n_pixels - totals) /
                           xp.maximum(totals, 1)).sum()) / n_inst
            variance = variance + dtype.type(outside * extra)

        # Distance term: every pair of instances, in every image.
        first, second = numpy.triu_indices(n_inst, 1)
        if len(first):
            gap = (get_item(means, (slice(None), xp.asarray(first)))
                   - get_item(means, (slice(None), xp.asarray(second))))
            push = relu(2 * self.delta_d - _norm(gap, 2, self.norm))
            distance = _sum(push * push) / max(len(first) * batch, 1)
        else:
            distance = Variable(xp.zeros((), dtype), requires_grad=False)

        # Regularization: each instance's means over the batch, as one
        # vector, averaged over instances and images.
        spread = _norm(transpose(means, (1, 0, 2)), (1, 2), self.norm)
        regularization = _sum(spread) / (n_inst * batch)

        return (variance * self.alpha, distance * self.beta,
                regularization * self.gamma)


def discriminative_margin_based_clustering_loss(
        embeddings, labels, delta_v, delta_d, max_embedding_dim, norm=1,
        alpha=1.0, beta=1.0, gamma=0.001):
    """Discriminative margin-based clustering loss.

    Pixel embeddings of one instance are pulled towards their mean
    (variance term), the means of different instances are pushed apart
    (distance term) and kept small (regularization term). Instance ``m``
    (``1 <= m <= max_embedding_dim``) is the set of pixels whose label is
    ``m``; other labels (e.g. 0 for the background) belong to none. With
    ``mu[b, m]`` the mean embedding of instance ``m`` in image ``b`` (0 if
    absent), ``M = max_embedding_dim``, ``B`` the batch size, ``N_m`` the
    pixels of instance ``m`` over the whole batch and ``||.||`` the chosen
    norm over the embedding axis:

    - variance: ``1/M sum_m 1/max(N_m, 1) sum_{(b, p) in m}
      relu(||mu[b, m] - e[b, :, p]|| - delta_v)^2``;
    - distance: the mean over images and pairs ``m < m'`` (absent
      instances included) of ``relu(2 delta_d - ||mu[b, m] - mu[b, m']||)
      ^2``;
    - regularization: ``1/(M B) sum_m ||mu[:, m, :]||`` (the norm taken
      over the batch and embedding axes together).

    Args:
        embeddings: Variable or array ``(B, M, H, W)`` of float16/32/64.
        labels: array ``(B, H, W)`` of instance ids.
        delta_v (float): variance margin.
        delta_d (float): distance margin.
        max_embedding_dim (int): ``M``; must equal ``embeddings.shape[1]``.
        norm (int): 1 or 2.
        alpha, beta, gamma (float): weights of the three terms.
    Returns:
        tuple of three 0-dim Variables: ``alpha * variance``, ``beta *
        distance`` and ``gamma * regularization``.
    Raises:
        ValueError: ``norm`` not 1 or 2, or ``max_embedding_dim`` not a
            positive int.
        dynet.utils.type_check.InvalidType: wrong dtypes or shapes.
    """
    loss = DiscriminativeMarginBasedClusteringLoss(
        delta_v, delta_d, max_embedding_dim, norm, alpha, beta, gamma)
    return loss(embeddings, labels)
