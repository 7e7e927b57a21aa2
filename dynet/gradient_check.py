"""Numerical gradient checks for functions and links.

``check_backward`` compares the analytic gradient from backward with a
central finite difference. To stay cheap it checks one random direction
at a time: the derivative of ``sum(f(x + t*d) * gy)`` at ``t = 0`` must
equal ``sum(gx * d)``, where ``d`` spans every differentiable input and
parameter at once.
"""
import numpy

from dynet import backend
from dynet.variable import Variable


class NondifferentiableError(Exception):
    """The function is not differentiable at the point being checked."""


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _to_numpy(array):
    return backend.CpuDevice().send_array(array)


def numerical_grad(f, inputs, grad_outputs, eps=1e-3,
                   detect_nondifferentiable=False, diff_atol=0,
                   diff_rtol=1e-2, center_outputs=None):
    """Per-element central-difference gradients.

    ``f`` takes no arguments and returns a tuple of arrays computed from
    the arrays in ``inputs``, which are perturbed in place one element at a
    time. Returns one gradient array per input: the derivative of
    ``sum(f()[k] * grad_outputs[k])``.
    """
    if eps <= 0:
        raise ValueError('numerical_grad: eps must be positive, got {}'
                         .format(eps))
    inputs = _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs)
    grads = []
    for x in inputs:
        xp = backend.get_array_module(x)
        gx = xp.zeros(x.shape, dtype=numpy.float64)
        if x.dtype.kind != 'f':
            grads.append(None)
            continue
        flat_index = numpy.ndindex(*x.shape) if x.ndim else [()]
        for index in flat_index:
            original = x[index].copy() if x.ndim else x[()].copy()
            values = []
            steps = (-2, -1, 1, 2) if detect_nondifferentiable else (-1, 1)
            for step in steps:
                x[index] = original + step * eps
                values.append(_weighted_sum(f(), grad_outputs))
            x[index] = original
            if detect_nondifferentiable:
                center = _weighted_sum(f(), grad_outputs)
                _check_differentiable(values, center, eps, diff_atol,
                                      diff_rtol, 'input element {}'.format(
                                          index))
                gx[index] = (values[2] - values[1]) / (2 * eps)
            else:
                gx[index] = (values[1] - values[0]) / (2 * eps)
        grads.append(gx.astype(x.dtype, copy=False))
    return tuple(grads)


def _weighted_sum(outputs, grad_outputs):
    total = 0.0
    for y, gy in zip(_as_tuple(outputs), grad_outputs):
        if gy is None or y is None:
            continue
        y = _to_numpy(getattr(y, 'array', y)).astype(numpy.float64)
        total += float((y * _to_numpy(gy).astype(numpy.float64)).sum())
    return total


def _check_differentiable(values, center, eps, atol, rtol, where):
    """Raises if one-sided derivative estimates disagree (a kink)."""
    f_m2, f_m1, f_p1, f_p2 = values
    forward = (-3 * center + 4 * f_p1 - f_p2) / (2 * eps)
    backward = (3 * center - 4 * f_m1 + f_m2) / (2 * eps)
    if not numpy.isfinite([forward, backward]).all():
        raise NondifferentiableError(
            'non-finite derivative estimate at {}'.format(where))
    if abs(forward - backward) > atol + rtol * max(abs(forward),
                                                   abs(backward)):
        raise NondifferentiableError(
            'the function looks non-differentiable at {}: derivative from '
            'the left {!r}, from the right {!r}'.format(
                where, backward, forward))


def check_backward(func, x_data, y_grad, params=(), eps=1e-3, atol=1e-5,
                   rtol=1e-4, no_grads=None, dtype=None,
                   detect_nondifferentiable=False,
                   is_immutable_params=False):
    """Checks ``func``'s backward against a numerical derivative.

    Args:
        func: callable taking Variables and returning a Variable or a tuple
            of Variables.
        x_data: an array or a tuple of arrays (the inputs); a None entry
            is passed to ``func`` as None and never checked.
        y_grad: an array, a tuple of arrays (None entries skip an output) or
            None when the output has one element.
        params: Parameters whose gradients are checked too.
        eps: finite-difference step.
        atol, rtol: tolerances of the comparison.
        no_grads: one bool per input; True skips that input. By default
            non-float inputs are skipped.
        dtype: a float dtype to compute the numerical derivative in (e.g.
            ``numpy.float64`` for precision); float inputs (skipped ones
            too) and parameters are cast to it.
        detect_nondifferentiable: raise ``NondifferentiableError`` when
            one-sided derivatives disagree at the point.
        is_immutable_params: accepted for compatibility: parameters are
            always restored after perturbation.
    Raises:
        AssertionError: the gradients disagree; the message shows the
            numerical and analytic directional derivatives side by side
            and each input's analytic gradient.
    """
    x_data = _as_tuple(x_data)
    params = _as_tuple(params) if params is not None else ()
    _check_dtype_argument('check_backward', dtype)
    for i, x in enumerate(x_data):
        if x is not None and not isinstance(x, backend.get_array_types()):
            raise TypeError('check_backward: x_data[{}] must be an array or '
                            'None, got {}'.format(i, type(x).__name__))
    if no_grads is None:
        no_grads = [x is None or x.dtype.kind != 'f' for x in x_data]
    elif len(no_grads) != len(x_data):
        raise ValueError('check_backward: no_grads has {} entries for {} '
                         'inputs'.format(len(no_grads), len(x_data)))
    else:
        no_grads = [bool(skip) or x is None
                    for x, skip in zip(x_data, no_grads)]
    xs = [None if x is None else Variable(x, requires_grad=not skip)
          for x, skip in zip(x_data, no_grads)]
    outputs = _as_tuple(func(*xs))
    for i, y in enumerate(outputs):
        if not isinstance(y, Variable):
            raise TypeError('check_backward: func must return Variables; '
                            'output {} is a {}'.format(i, type(y).__name__))
    grad_outputs = _resolve_y_grad(outputs, y_grad)

    # Analytic gradients.
    targets = [x for x, skip in zip(xs, no_grads) if not skip] + list(params)
    from dynet._backprop import grad as _grad
    used = [(y, gy) for y, gy in zip(outputs, grad_outputs) if gy is not None]
    if used and targets:
        analytic = _grad([y for y, _ in used], targets,
                         grad_outputs=[Variable(gy, requires_grad=False)
                                       for _, gy in used])
    else:
        analytic = [None] * len(targets)
    analytic = [None if g is None else _to_numpy(g.array)
                for g in analytic]

    if not targets:
        return

    # A random direction over all differentiable arrays, unit length.
    target_arrays = [x.array for x in targets]
    rng = numpy.random.RandomState(_seed_from(target_arrays))
    directions = [rng.normal(size=a.shape) for a in target_arrays]
    norm = numpy.sqrt(sum(float((d * d).sum()) for d in directions)) or 1.0
    directions = [d / norm for d in directions]

    analytic_total = 0.0
    for g, d in zip(analytic, directions):
        if g is not None:
            analytic_total += float((g.astype(numpy.float64) * d).sum())

    numeric_total = _directional_derivative(
        func, x_data, no_grads, params, directions, grad_outputs, eps, dtype,
        detect_nondifferentiable)

    if not numpy.allclose(numeric_total, analytic_total, atol=atol,
                          rtol=rtol):
        lines = [
            'check_backward failed: the analytic gradient disagrees with '
            'the numerical one.',
            'directional derivative: numerical {!r} vs analytic {!r} '
            '(atol={}, rtol={})'.format(numeric_total, analytic_total, atol,
                                        rtol)]
        names = ['x_data[{}]'.format(i) for i, skip in enumerate(no_grads)
                 if not skip] + ['params[{}]'.format(i)
                                 for i in range(len(params))]
        numeric_grads = _numeric_grads_for_report(
            func, x_data, no_grads, params, grad_outputs, eps, dtype)
        for name, g, ng in zip(names, analytic, numeric_grads):
            lines.append('{}: analytic gradient\n{}\nnumerical gradient\n{}'
                         .format(name, g, ng))
        raise AssertionError('\n'.join(lines))


def _check_dtype_argument(where, dtype):
    if dtype is not None and numpy.dtype(dtype).kind != 'f':
        raise ValueError('{}: dtype must be a float dtype (or None), got '
                         '{}'.format(where, numpy.dtype(dtype)))


def _seed_from(arrays):
    total = 0
    for a in arrays:
        total = (total * 31 + a.size) % (2 ** 31)
    return total + 17


def _resolve_y_grad(outputs, y_grad):
    if y_grad is None:
        for i, y in enumerate(outputs):
            if y.size != 1:
                raise ValueError(
                    'check_backward: y_grad is None but output {} has shape '
                    '{}; give y_grad for outputs with more than one element'
                    .format(i, y.shape))
        return [y.xp.ones_like(y.array) for y in outputs]
    y_grad = _as_tuple(y_grad)
    if len(y_grad) != len(outputs):
        raise ValueError('check_backward: got {} y_grad entries for {} '
                         'outputs'.format(len(y_grad), len(outputs)))
    for i, (y, gy) in enumerate(zip(outputs, y_grad)):
        if gy is not None and gy.shape != y.shape:
            raise ValueError(
                'check_backward: y_grad[{}] has shape {} but output {} has '
                'shape {}'.format(i, gy.shape, i, y.shape))
    return list(y_grad)


def _evaluate(func, arrays, params, param_arrays):
    """Runs ``func`` on ``arrays`` with ``params`` temporarily set to
    ``param_arrays``; returns its outputs as arrays."""
    saved = [p.array for p in params]
    try:
        for p, a in zip(params, param_arrays):
            p.array = a
        # The graph stays on: func may itself compute gradients (as the
        # first-order function of check_double_backward does).
        xs = [None if a is None else
              Variable(a, requires_grad=a.dtype.kind == 'f')
              for a in arrays]
        outputs = _as_tuple(func(*xs))
        return [y.array for y in outputs]
    finally:
        for p, a in zip(params, saved):
            p.array = a


def _perturbed(x_data, no_grads, params, directions, t, dtype):
    arrays = []
    k = 0
    for x, skip in zip(x_data, no_grads):
        if skip:
            arrays.append(_cast_skipped(x, dtype))
            continue
        arrays.append(_shift(x, directions[k], t, dtype))
        k += 1
    param_arrays = [_shift(p.array, d, t, dtype)
                    for p, d in zip(params, directions[k:])]
    return arrays, param_arrays


def _cast_skipped(x, dtype):
    """A skipped input as the numerical pass sees it: float ones share the
    dtype of the others."""
    if x is None or dtype is None or x.dtype.kind != 'f':
        return x
    return x.astype(dtype, copy=False)


def _shift(array, direction, t, dtype):
    xp = backend.get_array_module(array)
    target = dtype if dtype is not None else array.dtype
    shifted = array.astype(numpy.float64) + t * xp.asarray(direction)
    # 0-dim arithmetic gives a NumPy scalar; keep it an array.
    return xp.asarray(shifted, dtype=target)


def _directional_derivative(func, x_data, no_grads, params, directions,
                            grad_outputs, eps, dtype,
                            detect_nondifferentiable):
    def value(t):
        arrays, param_arrays = _perturbed(x_data, no_grads, params,
                                          directions, t, dtype)
        return _weighted_sum(
            _evaluate(func, arrays, params, param_arrays),
            grad_outputs)

    if detect_nondifferentiable:
        values = [value(s * eps) for s in (-2, -1, 1, 2)]
        _check_differentiable(values, value(0.0), eps, 0, 1e-2,
                              'the given inputs')
        return (values[2] - values[1]) / (2 * eps)
    return (value(eps) - value(-eps)) / (2 * eps)


def _numeric_grads_for_report(func, x_data, no_grads, params, grad_outputs,
                              eps, dtype):
    """Per-element numerical gradients, only computed after a failure."""
    arrays = [None if x is None else
              x.astype(dtype if dtype is not None and x.dtype.kind == 'f'
                       else x.dtype, copy=True) for x in x_data]
    param_arrays = [p.array.astype(dtype or p.array.dtype, copy=True)
                    for p in params]
    targets = [a for a, skip in zip(arrays, no_grads) if not skip] + \
        param_arrays
    try:
        return numerical_grad(
            lambda: tuple(_evaluate(func, arrays, params, param_arrays)),
            targets, grad_outputs, eps=eps)
    except Exception as error:  # the report must not hide the failure
        return ['(could not compute: {})'.format(error)] * len(targets)


def check_double_backward(func, x_data, y_grad, x_grad_grad, params=(),
                          params_grad_grad=None, eps=1e-3, atol=1e-4,
                          rtol=1e-3, no_grads=None, dtype=None,
                          detect_nondifferentiable=False):
    """Checks the gradient of ``func``'s gradient (second order).

    The first-order gradients of ``func`` (with ``y_grad`` as output
    gradients) are treated as a function of the inputs and ``y_grad``;
    ``check_backward`` then checks that function with ``x_grad_grad`` (and
    ``params_grad_grad``) as its output gradients.
    """
    x_data = _as_tuple(x_data)
    params = _as_tuple(params) if params is not None else ()
    n_x = len(x_data)
    _check_dtype_argument('check_double_backward', dtype)
    if no_grads is None:
        no_grads = [x is None or x.dtype.kind != 'f' for x in x_data]
    y_grad_tuple = _as_tuple(y_grad) if y_grad is not None else None
    x_grad_grad = _as_tuple(x_grad_grad)
    if params_grad_grad is None:
        params_grad_grad = ()
    params_grad_grad = _as_tuple(params_grad_grad)
    from dynet._backprop import grad as _grad

    def first_order(*args):
        xs = args[:n_x]
        gys = args[n_x:]
        ys = _as_tuple(func(*xs))
        if y_grad_tuple is None:
            gys_used = [None] * len(ys)
        else:
            gys_used = list(gys)
        used = [(y, g) for y, g in zip(ys, gys_used)
                if y_grad_tuple is None or g is not None]
        targets = [x for x, skip in zip(xs, no_grads) if not skip] + \
            list(params)
        grads = _grad([y for y, _ in used], targets,
                      grad_outputs=[g for _, g in used],
                      enable_double_backprop=True)
        result = []
        for g, t in zip(grads, targets):
            if g is None:
                xp = backend.get_array_module(t.array)
                g = Variable(xp.zeros_like(t.array), requires_grad=False)
            result.append(g)
        return tuple(result)

    inputs = x_data + (tuple(g for g in y_grad_tuple if g is not None)
                       if y_grad_tuple is not None else ())
    if y_grad_tuple is not None and any(g is None for g in y_grad_tuple):
        raise ValueError('check_double_backward: y_grad entries may not be '
                         'None')
    gg = [g for g, skip in zip(x_grad_grad, no_grads) if not skip] \
        if len(x_grad_grad) == n_x else list(x_grad_grad)
    gg += list(params_grad_grad)
    check_backward(first_order, inputs, tuple(gg), params=params, eps=eps,
                   atol=atol, rtol=rtol,
                   no_grads=list(no_grads) + [False] * (len(inputs) - n_x),
                   dtype=dtype,
                   detect_nondifferentiable=detect_nondifferentiable)


def assert_allclose(x, y, atol=1e-5, rtol=1e-4, verbose=True):
    """Deprecated alias of :func:`dynet.testing.assert_allclose` (kept
    because Chainer still has it here)."""
    import warnings
    warnings.warn('dynet.gradient_check.assert_allclose is deprecated; use '
                  'dynet.testing.assert_allclose instead',
                  DeprecationWarning, stacklevel=2)
    from dynet.testing.array import assert_allclose as _assert_allclose
    _assert_allclose(x, y, atol=atol, rtol=rtol, verbose=verbose)
