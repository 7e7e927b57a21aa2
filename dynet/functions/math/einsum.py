"""Einstein summation.

Subscripts are letters (``A-Z``, ``a-z``); ``...`` stands for the same
axes in every operand that has it. A letter repeated inside one operand
takes that operand's diagonal (``'ii->i'``, ``'ii'`` for the trace); a
letter missing from the output is summed over. Internally the ellipsis is
replaced by spare letters, so a node only sees plain letters.
"""
import numpy

from dynet import backend
from dynet.function_node import FunctionNode
from dynet.functions import _check
from dynet.functions.math import _reduction_util as _util

SYMBOLS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
_ELLIPSIS = '@'  # one character standing for '...' while parsing


class EinSum(FunctionNode):
    """``numpy.einsum(','.join(in_subs) + '->' + out_sub, *operands)`` for
    subscripts made of letters only (no ellipsis, no repeated output
    letter)."""

    def __init__(self, in_subs, out_sub):
        self.in_subs = tuple(in_subs)
        self.out_sub = out_sub

    def _check_inputs(self, in_data):
        _check.count(self, in_data, len(self.in_subs))
        names = ['operands[{}]'.format(i) for i in range(len(in_data))]
        for name, x in zip(names, in_data):
            _check.float_kind(self, name, x)
        _check.same_dtype(self, names, in_data)
        sizes = {}
        for i, (sub, x) in enumerate(zip(self.in_subs, in_data)):
            if len(sub) != x.ndim:
                _check.fail(self, '{}.ndim == {} (subscripts {!r})'.format(
                    names[i], len(sub), sub), '{}.shape == {}'.format(
                        names[i], x.shape))
            for c, n in zip(sub, x.shape):
                if c not in sizes:
                    sizes[c] = (n, i)
                elif sizes[c][0] != n:
                    j = sizes[c][1]
                    _check.fail(
                        self, 'one length for subscript {!r} in every '
                        'operand'.format(c),
                        '{} (subscripts {!r}) has shape {}, {} (subscripts '
                        '{!r}) has shape {}'.format(
                            names[j], self.in_subs[j], in_data[j].shape,
                            names[i], sub, x.shape))

    def forward(self, inputs):
        if len(inputs) > 1:
            # Each operand's gradient needs the others.
            self.retain_inputs(tuple(range(len(inputs))))
        xp = backend.get_array_module(*inputs)
        spec = '{}->{}'.format(','.join(self.in_subs), self.out_sub)
        if xp is numpy and len(inputs) > 1:
            # optimize=True contracts pairwise with BLAS (tensordot).
            y = numpy.einsum(spec, *inputs, optimize=True)
        else:
            y = xp.einsum(spec, *inputs)
        return _util.as_array(y, xp).astype(inputs[0].dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from dynet.functions.array.broadcast import broadcast_to
        from dynet.functions.array.reshape import reshape
        g = grad_outputs[0]
        count = len(self.in_subs)
        xs = self.get_retained_inputs() if count > 1 else ()
        sizes = {}
        for sub, node in zip(self.in_subs, self.inputs):
            sizes.update(zip(sub, node.shape))
        result = []
        for i in indexes:
            target = self.in_subs[i]
            others = [j for j in range(count) if j != i]
            unique = ''.join(dict.fromkeys(target))
            available = set(self.out_sub).union(
                *[self.in_subs[j] for j in others])
            direct = ''.join(c for c in unique if c in available)
            # The gradient is the einsum of the output gradient with the
            # other operands, for the letters they share with the target.
            if not others and direct == self.out_sub:
                h = g
            else:
                h = EinSum((self.out_sub,) + tuple(
                    self.in_subs[j] for j in others), direct).apply(
                        (g,) + tuple(xs[j] for j in others))[0]
            if len(direct) != len(unique):
                # Letters only this operand has were summed over: the
                # gradient is constant along them.
                h = reshape(h, tuple(sizes[c] if c in available else 1
                                     for c in unique))
                h = broadcast_to(h, tuple(sizes[c] for c in unique))
            if len(unique) != len(target):
                # A repeated letter read a diagonal: write back onto it.
                h = _DiagEmbed(unique, target, self.inputs[i].shape).apply(
                    (h,))[0]
            result.append(h)
        return tuple(result)


class _DiagEmbed(FunctionNode):
    """Zeros of ``shape`` (subscripts ``target``, with repeated letters)
    whose diagonal (subscripts ``unique``) is the input: the adjoint of
    taking a diagonal with einsum."""

    def __init__(self, unique, target, shape):
        self.unique = unique
        self.target = target
        self.shape = tuple(shape)

    def forward(self, inputs):
        h, = inputs
        xp = backend.get_array_module(h)
        y = xp.zeros(self.shape, h.dtype)
        k = len(self.unique)
        index = []
        for c, n in zip(self.target, self.shape):
            p = self.unique.index(c)
            index.append(xp.arange(n).reshape(
                (1,) * p + (n,) + (1,) * (k - p - 1)))
        y[tuple(index)] = h
        return y,

    def backward(self, indexes, grad_outputs):
        return EinSum((self.target,), self.unique).apply(grad_outputs)


def _symbols_of(sublist, what):
    subscripts = []
    for s in sublist:
        if s is Ellipsis:
            subscripts.append(_ELLIPSIS)
        elif isinstance(s, (int, numpy.integer)) and not isinstance(
                s, bool) and 0 <= s < len(SYMBOLS):
            subscripts.append(SYMBOLS[s])
        else:
            raise TypeError(
                'einsum: {} may hold only Ellipsis and ints in [0, {}), '
                'got {!r}'.format(what, len(SYMBOLS), s))
    return ''.join(subscripts)


def _parse(operands):
    """Returns ``(terms, output, arrays)``: one subscript string per
    operand and the output subscripts, with ``'@'`` for an ellipsis."""
    if not operands:
        raise ValueError('einsum: no operands given')
    if isinstance(operands[0], str):
        subscripts = operands[0].replace(' ', '')
        arrays = list(operands[1:])
        for c in subscripts:
            if c not in '.,->' and c not in SYMBOLS:
                raise ValueError('einsum: {!r} is not a valid subscript '
                                 '(letters A-Z, a-z only)'.format(c))
        if '-' in subscripts or '>' in subscripts:
            if (subscripts.count('->') != 1 or subscripts.count('-') != 1
                    or subscripts.count('>') != 1):
                raise ValueError("einsum: subscripts may contain one '->', "
                                 'got {!r}'.format(operands[0]))
            inputs, output = subscripts.split('->')
        else:
            inputs, output = subscripts, None
        inputs = inputs.replace('...', _ELLIPSIS)
        if output is not None:
            if ',' in output:
                raise ValueError('einsum: the output subscripts may not '
                                 'contain a comma, got {!r}'.format(
                                     operands[0]))
            output = output.replace('...', _ELLIPSIS)
        if '.' in inputs or (output is not None and '.' in output):
            raise ValueError("einsum: '.' is only valid as part of '...', "
                             'got {!r}'.format(operands[0]))
        terms = inputs.split(',')
    else:
        rest = list(operands)
        arrays, terms = [], []
        while len(rest) >= 2:
            arrays.append(rest.pop(0))
            terms.append(_symbols_of(rest.pop(0), 'a sublist'))
        output = _symbols_of(rest[0], 'the output sublist') if rest else None

    for term in terms:
        if term.count(_ELLIPSIS) > 1:
            raise ValueError('einsum: an operand may have one ellipsis, got '
                             'subscripts {!r}'.format(
                                 term.replace(_ELLIPSIS, '...')))
    joined = ''.join(terms)
    if output is None:
        # Implicit output: the ellipsis, then the letters seen once, sorted.
        output = (_ELLIPSIS if _ELLIPSIS in joined else '') + ''.join(
            sorted(c for c in set(joined) if c != _ELLIPSIS and
                   joined.count(c) == 1))
    else:
        for c in output:
            shown = '...' if c == _ELLIPSIS else c
            if c not in joined:
                raise ValueError('einsum: output subscript {!r} does not '
                                 'appear in the inputs'.format(shown))
            if output.count(c) > 1:
                raise ValueError('einsum: output subscript {!r} appears more '
                                 'than once'.format(shown))
    if len(terms) != len(arrays):
        raise ValueError('einsum: {} operand(s) for {} subscript term(s)'
                         .format(len(arrays), len(terms)))
    return terms, output, arrays


def _expand_ellipsis(terms, output, arrays):
    """Replaces the ellipsis by spare letters, one per axis it covers."""
    covered = None
    for i, (term, x) in enumerate(zip(terms, arrays)):
        ndim = getattr(x, 'ndim', None)
        if ndim is None:
            raise TypeError('einsum: operand {} must be a Variable or an '
                            'array, got {}'.format(i, type(x).__name__))
        if _ELLIPSIS not in term:
            continue
        n = ndim - (len(term) - 1)
        if n < 0:
            raise ValueError(
                'einsum: operand {} has {} axes, fewer than its subscripts '
                '{!r} name'.format(i, ndim, term.replace(_ELLIPSIS, '...')))
        if covered is None:
            covered = n
        elif covered != n:
            raise ValueError(
                "einsum: '...' must cover the same number of axes in every "
                'operand; it covers {} and {}'.format(covered, n))
    if not covered:
        return ([t.replace(_ELLIPSIS, '') for t in terms],
                output.replace(_ELLIPSIS, ''))
    if _ELLIPSIS not in output:
        raise ValueError("einsum: summing over the axes of '...' is not "
                         "supported; put '...' in the output")
    used = set(''.join(terms))
    spare = [c for c in SYMBOLS if c not in used]
    if len(spare) < covered:
        raise ValueError('einsum: too many axes for the {} available '
                         'subscript letters'.format(len(SYMBOLS)))
    letters = ''.join(spare[:covered])
    return ([t.replace(_ELLIPSIS, letters) for t in terms],
            output.replace(_ELLIPSIS, letters))


def einsum(*operands):
    """Einstein summation, as ``numpy.einsum``.

    Two call forms (as in Chainer):

    - ``einsum('ij,jk->ik', a, b)``: comma-separated subscripts, one term
      per operand, and an optional ``->`` with the output subscripts. With
      no ``->`` the output is the ellipsis (if any) followed by the letters
      that appear exactly once, in sorted order.
    - ``einsum(a, [0, 1], b, [1, 2], [0, 2])``: each operand followed by a
      list of ints in ``[0, 52)`` (or ``Ellipsis``), then an optional
      output list.

    Supported: any number of operands, transposition, sums over letters
    missing from the output, ``...`` (covering the same axes, of equal
    lengths, in every operand that has it; it must appear in the output),
    and repeated letters inside an operand (diagonals, traces).
    Not supported (``ValueError``): summing over the ``...`` axes,
    broadcasting of length-1 axes between operands, and a letter repeated
    in the output.

    Args:
        operands: the subscripts and the operands (Variables or arrays of
            one float dtype).
    Returns:
        Variable of the operands' dtype. Every operand receives a gradient;
        double backprop is supported.
    """
    terms, output, arrays = _parse(operands)
    terms, output = _expand_ellipsis(terms, output, arrays)
    return EinSum(terms, output).apply(arrays)[0]
