"""SpectralNormalization: a link's weight divided by its largest singular
value (Miyato et al., https://arxiv.org/abs/1802.05957)."""
import numbers

import numpy

from dynet import backend
from dynet.config import config as _config
from dynet.link_hooks import _weight_hook
from dynet.variable import Parameter, Variable


def l2normalize(xp, v, eps=1e-12):
    """``v / (||v||_2 + eps)`` for a NumPy/CuPy vector ``v``."""
    return v / (xp.linalg.norm(v) + eps)


def update_approximate_vectors(weight_matrix, u, n_power_iteration=1,
                               eps=1e-12):
    """Runs ``n_power_iteration`` steps of the power iteration.

    Args:
        weight_matrix: 2-D Variable or array of shape ``(out, in)``.
        u: array of shape ``(out,)``, the current estimate of the first
            left singular vector.
        n_power_iteration (int): number of steps.
        eps (float): added to the norms.
    Returns:
        ``(u, v)``: new estimates (arrays, no graph) of the first left and
        right singular vectors.
    """
    matrix = weight_matrix.array if isinstance(weight_matrix, Variable) \
        else weight_matrix
    xp = backend.get_array_module(matrix)
    v = None
    for _ in range(n_power_iteration):
        v = l2normalize(xp, xp.dot(u, matrix), eps)
        u = l2normalize(xp, xp.dot(matrix, v), eps)
    return u, v


def calculate_max_singular_value(weight_matrix, u, v):
    """``u^T W v`` as a 0-dim Variable: the estimate of the largest
    singular value, differentiable with respect to ``weight_matrix``
    (``u`` and ``v`` are constants)."""
    from dynet.functions.math.matmul import matmul
    return matmul(matmul(u, weight_matrix), v)


def _output_axis(link):
    # Transposed convolutions keep the output channels on axis 1.
    from dynet.links.connection.convolution_nd import DeconvolutionND
    return 1 if isinstance(link, DeconvolutionND) else 0


class SpectralNormalization(_weight_hook.WeightHook):
    """Spectral normalization of a link's weight.

    While the link's forward runs, its weight ``W`` is replaced by
    ``W / sigma`` (``gamma * W / sigma`` with ``use_gamma``), where
    ``sigma = u^T W_mat v`` estimates the largest singular value of
    ``W_mat``, the weight as a matrix (the output axis first, the other
    axes flattened). ``u`` and ``v`` come from ``n_power_iteration`` steps
    of the power iteration, started from the vector ``u`` kept on the link
    (as the persistent ``W_u``, so it is serialized and moved between
    devices). Gradients flow through ``sigma`` to ``W``; ``u`` and ``v``
    are constants. The stored ``u`` is updated only in training mode
    (``config.train``), and not while a graph is recomputed
    (``config.in_recomputing``, e.g. by ``F.forget``), which reuses the
    vectors of the first pass.

    Add it to one link (it cannot be used in a ``with`` statement)::

        layer = L.Convolution2D(3, 8, 3).add_hook(
            link_hooks.SpectralNormalization())

    Meant for Linear, EmbedID, Convolution*/Deconvolution* (for transposed
    convolutions the output axis is 1) and, with ``weight_name``, any link
    with a weight Parameter. A weight that is still uninitialized is
    initialized from the first input. ``u`` is drawn from the standard
    normal distribution (``link.xp.random``) when the weight is first
    known. With ``use_gamma``, a Parameter ``link.gamma`` (0-dim,
    initialized with the largest singular value of the initial weight) is
    added: add the hook before ``optimizer.setup`` so that it is trained.
    ``link.delete_hook(name)`` removes ``W_u`` and ``gamma``.

    Args:
        n_power_iteration (int): power-iteration steps per forward (>= 1).
        eps (float): added to the norms in the power iteration.
        use_gamma (bool): add the learnable scale ``gamma``.
        factor (float or None): ``sigma`` is divided by it (so the weight
            is scaled by ``factor / sigma``).
        weight_name (str): the name of the weight Parameter.
        name (str or None): the hook's name (default
            ``'SpectralNormalization'``).

    Attributes:
        vector_name (str): ``weight_name + '_u'``, the name of ``u`` on
            the link.
        axis (int): the output axis of the weight (0, or 1 for
            Deconvolution links).
    """

    name = 'SpectralNormalization'

    def __init__(self, n_power_iteration=1, eps=1e-6, use_gamma=False,
                 factor=None, weight_name='W', name=None):
        cls = type(self).__name__
        if not isinstance(n_power_iteration, numbers.Integral) or \
                isinstance(n_power_iteration, bool) or n_power_iteration < 1:
            raise ValueError('{}: n_power_iteration must be an int >= 1, '
                             'got {!r}'.format(cls, n_power_iteration))
        if not isinstance(eps, numbers.Real) or eps < 0:
            raise ValueError('{}: eps must be a number >= 0, got {!r}'
                             .format(cls, eps))
        if factor is not None and (not isinstance(factor, numbers.Real) or
                                   factor == 0):
            raise ValueError('{}: factor must be None or a non-zero '
                             'number, got {!r}'.format(cls, factor))
        super().__init__(weight_name, name)
        self.n_power_iteration = int(n_power_iteration)
        self.eps = eps
        self.use_gamma = bool(use_gamma)
        self.factor = factor
        self.vector_name = weight_name + '_u'
        self.axis = 0
        self.v = None
        self._u_of_v = None      # the u that went with self.v
        self._initialized = False

    # ------------------------------------------------------ registration
    def added(self, link):
        super().added(link)
        self.axis = _output_axis(link)
        if getattr(link, self.weight_name).array is not None:
            self._prepare_parameters(link)

    def deleted(self, link):
        if link is None:
            return
        if self.vector_name in link.__dict__:
            delattr(link, self.vector_name)
        if self.use_gamma and 'gamma' in link._params:
            delattr(link, 'gamma')
        self._initialized = False

    def _prepare(self, link):
        self.axis = _output_axis(link)
        if self.vector_name not in link.__dict__:
            self._prepare_parameters(link)

    def _prepare_parameters(self, link, input_variable=None):
        """Registers ``u`` (and ``gamma``) once the weight is known."""
        weight = getattr(link, self.weight_name)
        if weight.array is None and input_variable is not None:
            _weight_hook.initialize_weight(
                type(self).__name__, link, self.weight_name,
                (input_variable,), {})
        axis = _output_axis(link)
        if weight.ndim <= axis or weight.shape[axis] == 0:
            raise ValueError(
                '{}: expected {}.shape[{}] > 0, got a weight of shape {}'
                .format(type(self).__name__, self.weight_name, axis,
                        weight.shape))
        if self.use_gamma and getattr(link, 'gamma', None) is not None:
            raise ValueError(
                '{}: use_gamma=True adds the parameter "gamma", but {} '
                'already has an attribute of that name'.format(
                    type(self).__name__, type(link).__name__))
        xp = link.xp
        with link.device:
            u = xp.random.normal(size=(weight.shape[axis],)).astype(
                weight.dtype)
            setattr(link, self.vector_name, u)
            link.register_persistent(self.vector_name)
            if self.use_gamma:
                matrix = self.reshape_W(weight.array)
                if matrix.dtype == numpy.float16:
                    matrix = matrix.astype(numpy.float32)  # no float16 SVD
                singular_values = xp.linalg.svd(matrix, compute_uv=False)
                gamma = xp.asarray(singular_values[0], dtype=weight.dtype)
                with link.init_scope():
                    link.gamma = Parameter(gamma)
        self.axis = axis
        self._initialized = True

    # ------------------------------------------------------- computation
    def reshape_W(self, W):
        """The weight (Variable or array) as a 2-D matrix, the output axis
        first."""
        if self.axis != 0:
            axes = [self.axis] + [i for i in range(W.ndim) if i != self.axis]
            W = W.transpose(axes)
        if W.ndim == 2:
            return W
        return W.reshape(W.shape[0], -1)

    def normalize_weight(self, link, *args, **kwargs):
        """The spectrally normalized weight of ``link`` (a Variable);
        updates ``u`` in training mode."""
        W = getattr(link, self.weight_name)
        stored_u = getattr(link, self.vector_name)
        matrix = self.reshape_W(W)
        if _config.in_recomputing and self.v is not None:
            u, v = self._u_of_v, self.v
        else:
            u, v = update_approximate_vectors(
                matrix, stored_u, self.n_power_iteration, self.eps)
            self.v, self._u_of_v = v, u
            if _config.train:
                backend.copyto(stored_u, u)
        sigma = calculate_max_singular_value(matrix, u, v)
        if self.factor is not None:
            sigma = sigma / self.factor
        if self.use_gamma:
            return link.gamma * W / sigma
        return W / sigma

    def _replacement(self, link, weight):
        with link.device:
            return self.normalize_weight(link)
