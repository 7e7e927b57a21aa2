"""Hierarchical softmax over a binary tree of word ids."""
import heapq
import numbers

import numpy

from dynet import backend
from dynet import initializers
from dynet import link
from dynet.config import config
from dynet.config import get_dtype
from dynet.functions import _check
from dynet.functions.loss import _util
from dynet.functions.loss._wrapper_check import Named, as_array
from dynet.variable import Parameter
from dynet.variable import Variable

_NAME = 'BinaryHierarchicalSoftmax'


def _is_word(node):
    return isinstance(node, numbers.Integral) and not isinstance(
        node, (bool, numpy.bool_)) and node >= 0


class _TreeTables:
    """The tree as arrays.

    Internal nodes are numbered in pre-order (a node before its left
    subtree, the left subtree before the right one), the numbering of
    Chainer, so that row ``i`` of ``W`` belongs to the same node. For each
    word ``w``: ``paths[w, :n]`` are the internal nodes from the root to
    it and ``codes[w, :n]`` the directions taken (+1 left, -1 right; 0
    pads the rows of shorter paths). ``child_node[i, side]`` is the
    internal child of node ``i`` on ``side`` (0 left, 1 right) or -1, and
    ``child_word[i, side]`` the word there or -1.
    """

    def __init__(self, tree, dtype):
        word_paths = {}
        children = []
        # Iterative depth-first walk: (node, parent id, side, path, code).
        stack = [(tree, -1, 0, (), ())]
        while stack:
            node, parent, side, path, code = stack.pop()
            if isinstance(node, tuple):
                if len(node) != 2:
                    raise ValueError(
                        '{}: all internal nodes of the tree must be pairs '
                        '(left, right), got a tuple of length {}'.format(
                            _NAME, len(node)))
                node_id = len(children)
                children.append([[-1, -1], [-1, -1]])
                if parent >= 0:
                    children[parent][side][0] = node_id
                left, right = node
                path = path + (node_id,)
                stack.append((right, node_id, 1, path, code + (-1,)))
                stack.append((left, node_id, 0, path, code + (1,)))
            else:
                if not _is_word(node):
                    raise ValueError(
                        '{}: the leaves of the tree must be non-negative int '
                        'word ids, got {!r}'.format(_NAME, node))
                if node in word_paths:
                    raise ValueError('{}: word {} appears twice in the '
                                     'tree'.format(_NAME, node))
                word_paths[int(node)] = (path, code)
                if parent >= 0:
                    children[parent][side][1] = int(node)

        self.n_nodes = len(children)
        self.n_vocab = max(word_paths) + 1
        depth = max(len(p) for p, _ in word_paths.values())
        self.paths = numpy.zeros((self.n_vocab, depth), numpy.int32)
        self.codes = numpy.zeros((self.n_vocab, depth), dtype)
        for word, (path, code) in word_paths.items():
            self.paths[word, :len(path)] = path
            self.codes[word, :len(code)] = code
        links = numpy.array(children, numpy.int32).reshape(-1, 2, 2)
        self.child_node = links[:, :, 0]
        self.child_word = links[:, :, 1]
        self.root_word = next(iter(word_paths)) if not children else -1

    def to_device(self, device):
        for name in ('paths', 'codes', 'child_node', 'child_word'):
            setattr(self, name, device.send_array(getattr(self, name)))


class BinaryHierarchicalSoftmax(link.Link):
    """Hierarchical softmax layer over a binary tree.

    Each word is a leaf of ``tree``; each internal node ``e`` has a weight
    row ``W[e]``. Going left at ``e`` has probability ``sigmoid(x . W[e])``
    and right ``sigmoid(-x . W[e])``, so a word's probability is the
    product along its path, and the loss of a batch is the sum over its
    examples of ``-log P(t | x)``. It costs ``O(log V)`` per example on a
    balanced tree.

    Args:
        in_size (int): dimension of the input vectors.
        tree: nested pairs with int word ids at the leaves, e.g.
            ``((0, 1), 2)``; see :meth:`create_huffman_tree`.
        dtype: dtype of ``W`` (default: ``config.dtype``).

    Attributes:
        W (Parameter): ``(number of internal nodes, in_size)``, initialized
            uniformly in ``[-1, 1]``.
        tree: the tree given.
    """

    def __init__(self, in_size, tree, dtype=None):
        super().__init__()
        dtype = get_dtype(dtype)
        self._tables = _TreeTables(tree, dtype)
        self.tree = tree
        with self.init_scope():
            self.W = Parameter(initializers.Uniform(1, dtype),
                               (self._tables.n_nodes, in_size))

    def _move_own_arrays(self, device):
        super()._move_own_arrays(device)
        self._tables.to_device(device)

    @staticmethod
    def create_huffman_tree(word_counts):
        """A Huffman tree over the words of ``word_counts``.

        The two least frequent entries are merged repeatedly (the one taken
        first goes left); among equal counts the entry that comes first in
        ``word_counts`` (for a merged entry: its earliest word) goes first.
        For example ``{0: 8, 1: 5, 2: 6, 3: 4}`` gives
        ``((3, 1), (2, 0))``.

        Args:
            word_counts (dict): word id to count (int or float).
        Returns:
            The tree, as nested pairs of word ids.
        Raises:
            ValueError: if ``word_counts`` is empty.
        """
        if len(word_counts) == 0:
            raise ValueError(
                'create_huffman_tree: word_counts is an empty vocabulary')
        heap = [(count, order, word)
                for order, (word, count) in enumerate(word_counts.items())]
        heapq.heapify(heap)
        while len(heap) > 1:
            count_a, order_a, a = heapq.heappop(heap)
            count_b, order_b, b = heapq.heappop(heap)
            heapq.heappush(heap,
                           (count_a + count_b, min(order_a, order_b), (a, b)))
        return heap[0][2]

    def _check_inputs(self, x, t):
        w = self.W.array
        _check.float_kind(_NAME, 'x', x)
        _check.ndim_equal(_NAME, 'x', x, 2)
        _check.same_dtype(_NAME, ('x', 'W'), (x, w))
        if x.shape[1] != w.shape[1]:
            _check.fail(_NAME, 'x.shape[1] == in_size',
                        '{} != {}'.format(x.shape[1], w.shape[1]))
        _check.int_kind(_NAME, 't', t)
        _check.ndim_equal(_NAME, 't', t, 1)
        if t.shape[0] != x.shape[0]:
            _check.fail(_NAME, 't.shape[0] == x.shape[0]',
                        '{} != {}'.format(t.shape[0], x.shape[0]))
        if config.type_check:
            _util.check_labels(Named(_NAME), t, 0, self._tables.n_vocab)

    def forward(self, x, t):
        """The summed loss ``-sum_i log P(t_i | x_i)`` (a 0-dim Variable).

        Args:
            x: Variable or array ``(B, in_size)`` of ``W``'s dtype.
            t: int array ``(B,)`` of word ids (``0 <= t <`` the largest id
                in the tree + 1; an id missing from the tree costs 0).
        """
        from dynet.functions.activation.softplus import softplus
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.expand_dims import expand_dims
        from dynet.functions.array.where import where
        from dynet.functions.connection.embed_id import embed_id
        from dynet.functions.math.sum import sum as _sum

        x_array, t = as_array(x), as_array(t)
        self._check_inputs(x_array, t)
        xp = backend.get_array_module(x_array)
        paths = self._tables.paths[t]                         # (B, L)
        codes = self._tables.codes[t]
        if paths.shape[1] == 0:
            # A tree that is a single word: every probability is 1.
            return Variable(xp.zeros((), x_array.dtype), requires_grad=False)
        w = embed_id(paths, self.W)                           # (B, L, D)
        scores = _sum(w * broadcast_to(expand_dims(x, 1), w.shape), axis=2)
        # -log sigmoid(code * score) = softplus(-code * score).
        per_node = softplus(scores * -codes)
        on_path = codes != 0
        return _sum(where(on_path, per_node,
                          xp.zeros(per_node.shape, x_array.dtype)))

    def sample(self, x):
        """Draws one word per example from ``P(. | x)`` (no gradient).

        Walks from the root, going left at node ``e`` with probability
        ``sigmoid(x . W[e])``, with NumPy's (or CuPy's) global random
        generator.

        Args:
            x: Variable or array ``(B, in_size)``.
        Returns:
            int32 array ``(B,)`` of word ids.
        """
        x = as_array(x)
        xp = backend.get_array_module(x)
        tables = self._tables
        batch = x.shape[0]
        if tables.n_nodes == 0:
            return xp.full((batch,), tables.root_word, numpy.int32)
        w = self.W.array
        node = xp.zeros(batch, numpy.int32)
        words = xp.full((batch,), -1, numpy.int32)
        active = xp.ones(batch, bool)
        while bool(active.any()):
            score = (w[node] * x).sum(axis=1)
            p_left = 1 / (1 + xp.exp(-score.astype(numpy.float64)))
            side = (xp.random.uniform(size=batch) >= p_left).astype(
                numpy.int32)
            next_node = tables.child_node[node, side]
            reached = active & (next_node < 0)
            words = xp.where(reached, tables.child_word[node, side], words)
            active = active & (next_node >= 0)
            node = xp.where(active, next_node, 0)
        return words
