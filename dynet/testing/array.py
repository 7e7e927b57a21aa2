"""Array assertions accepting NumPy, CuPy, scalars and Variables."""
import numpy


def _to_numpy(x):
    """Converts ``x`` to a NumPy array without importing CuPy.

    Accepts objects holding their data in ``.array`` (Variables), GPU
    arrays exposing ``.get()`` (CuPy), and anything NumPy accepts.
    """
    if isinstance(x, numpy.ndarray):
        return x
    if not isinstance(x, (numpy.generic, int, float, complex, bool)) and \
            hasattr(x, 'array') and not callable(getattr(x, 'array')):
        x = x.array
        if isinstance(x, numpy.ndarray):
            return x
    module = type(x).__module__ or ''
    if module.split('.')[0] == 'cupy' or (
            hasattr(x, '__cuda_array_interface__') and hasattr(x, 'get')):
        return x.get()
    return numpy.asarray(x)


def _worst_element_report(x, y, atol, rtol):
    """Lines locating the element that exceeds its tolerance the most."""
    try:
        xx, yy = numpy.broadcast_arrays(x, y)
    except ValueError:
        return []
    if xx.size == 0:
        return []
    kind = numpy.complex128 if (numpy.iscomplexobj(xx) or
                                numpy.iscomplexobj(yy)) else numpy.float64
    xx = xx.astype(kind)
    yy = yy.astype(kind)
    with numpy.errstate(invalid='ignore', divide='ignore', over='ignore'):
        same = (xx == yy) | (numpy.isnan(xx) & numpy.isnan(yy))
        err = numpy.abs(xx - yy)
        err = numpy.where(same, 0.0, err)
        err = numpy.where(numpy.isnan(err), numpy.inf, err)
        abs_y = numpy.abs(yy)
        tol = atol + rtol * abs_y
        excess = numpy.where(same, -numpy.inf, err - tol)
        excess = numpy.where(numpy.isnan(excess), numpy.inf, excess)
        rel = numpy.where(same, 0.0, err / abs_y)
        rel = numpy.where(numpy.isnan(rel), numpy.inf, rel)
    flat = int(numpy.argmax(excess))
    index = tuple(int(i) for i in numpy.unravel_index(flat, xx.shape))
    n_bad = int(numpy.count_nonzero(excess > 0))
    return [
        '  mismatched elements: {} / {} ({:.3g}%)'.format(
            n_bad, xx.size, 100.0 * n_bad / xx.size),
        '  max absolute error: {}'.format(err.max()),
        '  max relative error: {}'.format(rel.max()),
        '  worst element (largest excess over tolerance):',
        '    index i: {}'.format(index),
        '    x[i]: {}'.format(xx[index]),
        '    y[i]: {}'.format(yy[index]),
        '    absolute error |x[i] - y[i]|: {}'.format(err[index]),
        '    relative error |x[i] - y[i]| / |y[i]|: {}'.format(rel[index]),
        '    tolerance atol + rtol * |y[i]|: {} (atol={}, rtol={})'.format(
            tol[index], atol, rtol),
    ]


def assert_allclose(x, y, atol=1e-5, rtol=1e-4, verbose=True):
    """Asserts that ``x`` and ``y`` are close elementwise.

    Passes when ``|x - y| <= atol + rtol * |y|`` for every element (NaNs in
    the same places are equal), as :func:`numpy.testing.assert_allclose`.
    ``x`` and ``y`` may be NumPy or CuPy arrays, scalars, or Variables (any
    object with an ``.array``).  On failure the AssertionError message gives
    the shapes, dtypes, the largest absolute and relative errors, the index
    and values of the worst element and (with ``verbose``) both arrays.
    """
    x = _to_numpy(x)
    y = _to_numpy(y)
    try:
        numpy.testing.assert_allclose(
            x, y, atol=atol, rtol=rtol, verbose=verbose)
    except AssertionError as e:
        lines = [str(e).strip(), '', 'assert_allclose failed:',
                 '  shape: x {} y {}'.format(x.shape, y.shape),
                 '  dtype: x {} y {}'.format(x.dtype, y.dtype)]
        try:
            lines.extend(_worst_element_report(x, y, atol, rtol))
        except Exception:  # the report must never hide the failure
            pass
        if verbose:
            with numpy.printoptions(threshold=10000):
                lines.append('x: ' + numpy.array2string(x, prefix='x: '))
                lines.append('y: ' + numpy.array2string(y, prefix='y: '))
        raise AssertionError('\n'.join(lines)) from None
