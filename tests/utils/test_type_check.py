import pickle
import threading

import numpy
import pytest

from dynet.utils import type_check
from dynet.utils.type_check import InvalidType


def _types(*arrays, name='in_types', accept_none=False):
    return type_check.get_types(arrays, name, accept_none)


def _fails(*conditions):
    with pytest.raises(InvalidType) as info:
        type_check.expect(*conditions)
    return info.value


@pytest.fixture
def xw():
    x = numpy.zeros((2, 3), dtype=numpy.int32)
    w = numpy.zeros((4, 4), dtype=numpy.float32)
    return _types(x, w)


# --- get_types / TypeInfo ---------------------------------------------------

def test_get_types_describes_arrays(xw):
    assert isinstance(xw, type_check.TypeInfoTuple)
    assert isinstance(xw, tuple)
    assert len(xw) == 2
    x_type, w_type = xw
    assert isinstance(x_type, type_check.Variable)
    info = x_type.eval()
    assert isinstance(info, type_check.TypeInfo)
    assert info.shape == (2, 3)
    assert info.dtype == numpy.int32
    assert info.ndim == 2
    assert info.size == 6
    assert type_check.eval(w_type.shape) == (4, 4)
    assert type_check.eval(w_type.size) == 16
    assert str(x_type) == 'in_types[0]'
    assert str(w_type.shape[1]) == 'in_types[1].shape[1]'


def test_get_types_size_expression(xw):
    size = xw.size()
    assert type_check.eval(size) == 2
    assert str(size) == 'in_types.size()'
    type_check.expect(xw.size() == 2)
    e = _fails(xw.size() == 3)
    assert e.expect == 'in_types.size() == 3'
    assert e.actual == '2 != 3'


def test_get_types_name_is_used():
    g = type_check.get_types((numpy.zeros(1),), 'out_types', False)
    assert str(g[0].ndim) == 'out_types[0].ndim'
    assert str(g.size()) == 'out_types.size()'


def test_get_types_shapes_override():
    x = numpy.zeros((2, 3), dtype=numpy.float32)
    t = type_check.get_types((x,), 'in_types', False, shapes=[(5, 6, 7)])
    assert type_check.eval(t[0].shape) == (5, 6, 7)
    assert type_check.eval(t[0].ndim) == 3
    assert type_check.eval(t[0].dtype) == numpy.float32


def test_get_types_accept_none():
    x = numpy.zeros((2,), dtype=numpy.float32)
    t = _types(x, None, accept_none=True)
    info = t[1].eval()
    assert info.shape == ()
    assert info.dtype is None
    assert info.ndim == 0
    type_check.expect(t[1].dtype == None)  # NOQA: E711 (builds an Expr)
    e = _fails(t[1].dtype.kind == 'f')
    assert 'in_types[1].dtype.kind == f' in str(e)
    assert 'AttributeError' in e.actual


def test_get_types_rejects_none_by_default():
    with pytest.raises(TypeError, match=r'in_types\[1\] is None'):
        _types(numpy.zeros(1), None)


def test_get_types_rejects_non_arrays():
    with pytest.raises(TypeError, match='must be an array'):
        _types([1, 2])


def test_type_info_repr_and_size_of_scalar():
    info = type_check.TypeInfo((), numpy.dtype('f'))
    assert info.size == 1
    assert 'float32' in repr(info)


# --- expect and messages ----------------------------------------------------

def test_expect_passes(xw):
    x_type, w_type = xw
    type_check.expect(
        x_type.dtype.kind == 'i',
        w_type.dtype == numpy.float32,
        x_type.ndim >= 2,
        x_type.shape[0] < w_type.shape[0],
        x_type.shape[1] != w_type.shape[1],
        w_type.shape[0] <= 4,
        w_type.shape[1] > 3,
        type_check.prod(x_type.shape) == 6,
    )
    type_check.expect()


def test_expect_dtype_kind_message(xw):
    e = _fails(xw[0].dtype.kind == 'f')
    assert str(e) == 'Expect: in_types[0].dtype.kind == f\nActual: i != f'
    assert e.expect == 'in_types[0].dtype.kind == f'
    assert e.actual == 'i != f'


def test_expect_dtype_message(xw):
    e = _fails(xw[0].dtype == numpy.float32)
    assert e.expect == "in_types[0].dtype == <class 'numpy.float32'>"
    assert e.actual == "int32 != <class 'numpy.float32'>"


def test_expect_reports_first_failure_only(xw):
    x_type, w_type = xw
    e = _fails(x_type.ndim == 2, x_type.shape[0] == 7, w_type.ndim == 9)
    assert e.expect == 'in_types[0].shape[0] == 7'
    assert e.actual == '2 != 7'


@pytest.mark.parametrize('build, expect, actual', [
    (lambda x, w: x.ndim == 3, 'x.ndim == 3', '2 != 3'),
    (lambda x, w: x.ndim != 2, 'x.ndim != 2', '2 == 2'),
    (lambda x, w: x.ndim < 2, 'x.ndim < 2', '2 >= 2'),
    (lambda x, w: x.ndim <= 1, 'x.ndim <= 1', '2 > 1'),
    (lambda x, w: x.ndim > 2, 'x.ndim > 2', '2 <= 2'),
    (lambda x, w: x.ndim >= 3, 'x.ndim >= 3', '2 < 3'),
    (lambda x, w: 3 == x.ndim, 'x.ndim == 3', '2 != 3'),
    (lambda x, w: 5 < x.ndim, 'x.ndim > 5', '2 <= 5'),
])
def test_comparison_messages(xw, build, expect, actual):
    type_check.argname(xw, ('x', 'W'))
    e = _fails(build(*xw))
    assert e.expect == expect
    assert e.actual == actual


def test_argname_renames(xw):
    type_check._argname(xw, ('x', 'W'))
    x_type, w_type = xw
    assert x_type.name == 'x'
    assert str(w_type.dtype) == 'W.dtype'
    e = _fails(x_type.shape[1] == w_type.shape[1])
    assert str(e) == 'Expect: x.shape[1] == W.shape[1]\nActual: 3 != 4'
    e = _fails(type_check.prod(x_type.shape[1:]) == w_type.shape[0])
    assert e.expect == 'prod(x.shape[1:]) == W.shape[0]'
    assert e.actual == '3 != 4'


def test_argname_rename_after_building_expression(xw):
    cond = xw[0].ndim == 5
    type_check.argname(xw, ('a', 'b'))
    assert _fails(cond).expect == 'a.ndim == 5'


def test_argname_length_mismatch(xw):
    with pytest.raises(InvalidType) as info:
        type_check.argname(xw, ('x',))
    e = info.value
    assert '1 argument(s)' in e.expect
    assert e.actual == '2 argument(s)'
    assert 'Actual: 2 argument(s)' in str(e)


def test_argname_alias():
    assert type_check.argname is type_check._argname


def test_doc_example_multiple_conditions_message(xw):
    x_type, w_type = xw
    e = _fails(x_type.shape[0] == w_type.shape[0] * 4)
    assert e.expect == 'in_types[0].shape[0] == in_types[1].shape[0] * 4'
    assert e.actual == '2 != 16'


def test_variable_names_a_member():
    x_type, = _types(numpy.zeros((3,)))
    in_size = type_check.Variable(4, 'in_size')
    e = _fails(x_type.shape[0] == in_size)
    assert e.expect == 'in_types[0].shape[0] == in_size'
    assert e.actual == '3 != 4'
    assert in_size.value == 4
    assert in_size.eval() == 4


def test_make_variable():
    v = type_check.make_variable(7, 'k')
    assert isinstance(v, type_check.Variable)
    assert str(v) == 'k'
    assert type_check.eval(v + 1) == 8


def test_wrapped_function_call():
    x_type, = _types(numpy.zeros((3, 4)))
    sum_ = type_check.Variable(numpy.sum, 'sum')
    e = _fails(sum_(x_type.shape) == 10)
    assert e.expect == 'sum(in_types[0].shape) == 10'
    assert e.actual == '7 != 10'


def test_call_with_keyword_and_list_arguments():
    x_type, = _types(numpy.zeros((3, 4)))
    f = type_check.Variable(lambda xs, k=0: sum(xs) + k, 'f')
    c = f([x_type.shape[0], 1], k=x_type.ndim)
    assert type_check.eval(c) == 6
    assert str(c) == 'f([in_types[0].shape[0], 1], k=in_types[0].ndim)'


def test_prod():
    x_type, = _types(numpy.zeros((2, 3, 4)))
    assert type_check.eval(type_check.prod(x_type.shape)) == 24
    assert type_check.eval(type_check.prod(x_type.shape[3:])) == 1
    assert str(type_check.prod(x_type.shape[1:])) == \
        'prod(in_types[0].shape[1:])'


# --- expression text --------------------------------------------------------

@pytest.fixture
def xy():
    t = _types(numpy.zeros((2, 3, 4), numpy.float32),
               numpy.zeros((5,), numpy.int64))
    type_check.argname(t, ('x', 'y'))
    return t


@pytest.mark.parametrize('build, text, value', [
    (lambda x, y: x.shape[0] + y.shape[0], 'x.shape[0] + y.shape[0]', 7),
    (lambda x, y: x.shape[0] - 1, 'x.shape[0] - 1', 1),
    (lambda x, y: 10 - x.shape[0], '10 - x.shape[0]', 8),
    (lambda x, y: x.shape[1] * 2, 'x.shape[1] * 2', 6),
    (lambda x, y: 2 * x.shape[1], '2 * x.shape[1]', 6),
    (lambda x, y: x.shape[2] / 8, 'x.shape[2] / 8', 0.5),
    (lambda x, y: y.shape[0] // 2, 'y.shape[0] // 2', 2),
    (lambda x, y: 11 // y.shape[0], '11 // y.shape[0]', 2),
    (lambda x, y: y.shape[0] % 3, 'y.shape[0] % 3', 2),
    (lambda x, y: x.shape[0] ** 3, 'x.shape[0] ** 3', 8),
    (lambda x, y: 3 ** x.shape[0], '3 ** x.shape[0]', 9),
    (lambda x, y: -x.ndim, '-x.ndim', -3),
    (lambda x, y: +x.ndim, '+x.ndim', 3),
    (lambda x, y: ~x.ndim, '~x.ndim', -4),
    (lambda x, y: x.ndim << 1, 'x.ndim << 1', 6),
    (lambda x, y: x.ndim >> 1, 'x.ndim >> 1', 1),
    (lambda x, y: x.ndim & 1, 'x.ndim & 1', 1),
    (lambda x, y: x.ndim | 4, 'x.ndim | 4', 7),
    (lambda x, y: x.ndim ^ 1, 'x.ndim ^ 1', 2),
    (lambda x, y: (x.shape[0] + 1) * 2, '(x.shape[0] + 1) * 2', 6),
    (lambda x, y: x.shape[0] + 1 * 2, 'x.shape[0] + 2', 4),
    (lambda x, y: x.shape[0] - (y.ndim - 1), 'x.shape[0] - (y.ndim - 1)',
     2),
    (lambda x, y: (x.shape[0] - y.ndim) - 1, 'x.shape[0] - y.ndim - 1', 0),
    (lambda x, y: (x.ndim ** 2) ** 2, '(x.ndim ** 2) ** 2', 81),
    (lambda x, y: x.ndim ** (y.ndim ** 2), 'x.ndim ** y.ndim ** 2', 3),
    (lambda x, y: (-x.ndim) ** 2, '(-x.ndim) ** 2', 9),
    (lambda x, y: -(x.ndim ** 2), '-x.ndim ** 2', -9),
    (lambda x, y: -(x.ndim + 1), '-(x.ndim + 1)', -4),
    (lambda x, y: x.shape[1:], 'x.shape[1:]', (3, 4)),
    (lambda x, y: x.shape[:-1], 'x.shape[:-1]', (2, 3)),
    (lambda x, y: x.shape[::2], 'x.shape[::2]', (2, 4)),
    (lambda x, y: x.shape[0:y.ndim], 'x.shape[0:y.ndim]', (2,)),
    (lambda x, y: x.shape[y.ndim], 'x.shape[y.ndim]', 3),
    (lambda x, y: x.dtype.kind, 'x.dtype.kind', 'f'),
    (lambda x, y: x.dtype.itemsize, 'x.dtype.itemsize', 4),
    (lambda x, y: x.dtype.char, 'x.dtype.char', 'f'),
    (lambda x, y: x.dtype.name, 'x.dtype.name', 'float32'),
    (lambda x, y: x.size, 'x.size', 24),
    (lambda x, y: (x.shape[0] + 1).bit_length(),
     '(x.shape[0] + 1).bit_length()', 2),
])
def test_expression_text_and_value(xy, build, text, value):
    expr = build(*xy)
    assert isinstance(expr, type_check.Expr)
    assert str(expr) == text
    assert expr.eval() == value
    assert type_check.eval(expr) == value


def test_nested_comparison_is_parenthesised(xy):
    x, y = xy
    c = (x.ndim == 3) == (y.ndim == 1)
    assert str(c) == '(x.ndim == 3) == (y.ndim == 1)'
    assert c.eval() is True


def test_negative_literal_base_is_parenthesised(xy):
    x, _ = xy
    assert str((-2) ** x.ndim) == '(-2) ** x.ndim'
    assert type_check.eval((-2) ** x.ndim) == -8


def test_constant_and_getitem_nodes(xy):
    x, _ = xy
    c = type_check.Constant((1, 2))
    assert str(c) == '(1, 2)'
    assert c.eval() == (1, 2)
    assert str(type_check.GetItem(c, (0, Ellipsis))) == '(1, 2)[0, ...]'
    assert str(type_check.GetAttr(x, 'ndim')) == 'x.ndim'
    assert type_check.GetAttr(x, 'ndim').eval() == 3
    g = type_check.GetAttr(x, type_check.Variable('ndim', 'attr'))
    assert str(g) == 'getattr(x, attr)'
    assert g.eval() == 3


def test_repr_of_expression(xy):
    assert 'x.ndim' in repr(xy[0].ndim)


def test_bitwise_or_of_conditions(xy):
    x, y = xy
    type_check.expect((x.ndim == 2) | (x.ndim == 3))
    e = _fails((x.ndim == 1) | (y.ndim == 2))
    assert e.expect == '(x.ndim == 1) | (y.ndim == 2)'
    assert e.actual == 'False | False'


def test_non_comparison_expression_in_expect(xy):
    x, _ = xy
    type_check.expect(x.shape[0] - 1)
    e = _fails(x.shape[0] - 2)
    assert e.expect == 'x.shape[0] - 2'
    assert e.actual == '2 - 2'


def test_plain_bools_in_expect():
    type_check.expect(True, 1 == 1)
    e = _fails(True, False)
    assert '#1' in e.expect
    assert e.actual == 'False'


def test_numpy_scalar_on_left(xy):
    x, _ = xy
    c = numpy.int64(2) == x.shape[0]
    assert isinstance(c, type_check.Expr)
    assert c.eval()
    assert _fails(numpy.int64(5) == x.shape[0]).actual == '2 != 5'
    assert isinstance(numpy.float32 == x.dtype, type_check.Expr)
    type_check.expect(numpy.float32 == x.dtype)


def test_shape_tuple_comparison(xy):
    x, y = xy
    type_check.expect(x.shape == (2, 3, 4))
    e = _fails(x.shape[1:] == (3, 5))
    assert e.expect == 'x.shape[1:] == (3, 5)'
    assert e.actual == '(3, 4) != (3, 5)'


# --- bool misuse ------------------------------------------------------------

def test_bool_of_expression_raises(xy):
    x, y = xy
    with pytest.raises(RuntimeError, match='cannot be converted to bool'):
        bool(x.ndim == 3)
    with pytest.raises(RuntimeError, match='expect'):
        type_check.expect(x.dtype.kind == 'f' or y.dtype.kind == 'f')
    with pytest.raises(RuntimeError):
        type_check.expect(x.ndim == 3 and y.ndim == 1)
    with pytest.raises(RuntimeError):
        type_check.expect(not x.ndim == 3)
    with pytest.raises(RuntimeError):
        if x.ndim == 3:
            pass


def test_len_and_iter_of_expression_raise(xy):
    x, _ = xy
    with pytest.raises(TypeError, match='len'):
        len(x.shape)
    with pytest.raises(TypeError, match='iterated'):
        list(x.shape)
    with pytest.raises(TypeError):
        a, b, c = x.shape


def test_private_attributes_are_not_expressions(xy):
    with pytest.raises(AttributeError):
        xy[0].__array_interface__
    with pytest.raises(AttributeError):
        xy[0]._foo


def test_unknown_attribute_builds_expression(xy):
    x, _ = xy
    e = _fails(x.dtype.isnative == False)  # NOQA: E712
    assert e.expect == 'x.dtype.isnative == False'
    assert e.actual == 'True != False'


# --- deferred errors --------------------------------------------------------

def test_errors_are_deferred_in_order():
    x_type, = _types(numpy.zeros((3,)))
    # x.shape[3] cannot be computed, but the ndim condition fails first.
    e = _fails(x_type.ndim == 4, x_type.shape[3] == 1)
    assert e.expect == 'in_types[0].ndim == 4'
    assert e.actual == '1 != 4'


def test_error_of_reached_condition_becomes_invalid_type():
    x_type, = _types(numpy.zeros((3,)))
    e = _fails(x_type.ndim == 1, x_type.shape[3] + 1 == 1)
    assert e.expect == 'in_types[0].shape[3] + 1 == 1'
    assert e.actual.startswith('IndexError')
    assert isinstance(e.__cause__, IndexError)


def test_eval_reraises_original_error():
    x_type, = _types(numpy.zeros((3,)))
    with pytest.raises(IndexError):
        type_check.eval(x_type.shape[3])
    with pytest.raises(AttributeError):
        x_type.dtype.no_such_attribute.eval()


def test_doc_example_zero_dim():
    x_type, = _types(numpy.zeros(()))
    e = _fails(x_type.dtype == numpy.float64, x_type.ndim == 3,
               x_type.shape[1] == 2)
    assert e.actual == '0 != 3'


# --- InvalidType ------------------------------------------------------------

def test_invalid_type_basics():
    e = InvalidType('a == b', '1 != 2')
    assert isinstance(e, TypeError)
    assert e.expect == 'a == b'
    assert e.actual == '1 != 2'
    assert str(e) == 'Expect: a == b\nActual: 1 != 2'
    e = InvalidType('x', 'y', msg='custom')
    assert str(e) == 'custom'
    assert e.expect == 'x'


def test_invalid_type_caught_as_type_error(xw):
    with pytest.raises(TypeError):
        type_check.expect(xw[0].ndim == 5)


def test_with_function_name():
    e = InvalidType('x.dtype.kind == f', 'i != f')
    named = e.with_function_name('Linear')
    assert isinstance(named, InvalidType)
    assert str(named) == (
        '\nInvalid operation is performed in: Linear (Forward)\n\n'
        'Expect: x.dtype.kind == f\nActual: i != f')
    assert named.expect == e.expect and named.actual == e.actual
    again = named.with_function_name('Foo', 'Backward')
    assert str(again) == (
        '\nInvalid operation is performed in: Foo (Backward)\n\n'
        'Expect: x.dtype.kind == f\nActual: i != f')
    assert str(e) == 'Expect: x.dtype.kind == f\nActual: i != f'


def test_function_check_context_adds_header(xw):
    class F:
        label = 'MyFunc'

    with type_check.get_function_check_context(F()):
        e = _fails(xw[0].ndim == 5)
    assert str(e) == (
        '\nInvalid operation is performed in: MyFunc (Forward)\n\n'
        'Expect: in_types[0].ndim == 5\nActual: 2 != 5')
    # Re-labelling does not duplicate the header.
    assert str(e.with_function_name('MyFunc')) == str(e)
    assert str(_fails(xw[0].ndim == 5)).startswith('Expect:')


def test_invalid_type_pickles():
    e = InvalidType('a', 'b').with_function_name('F')
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is InvalidType
    assert str(e2) == str(e)
    assert (e2.expect, e2.actual) == ('a', 'b')
    assert str(e2.with_function_name('G')).count('Invalid operation') == 1


# --- same_types / eval ------------------------------------------------------

class _FakeCupy:
    pass


_FakeCupy.__module__ = 'cupy._core.core'


def test_same_types():
    a = numpy.zeros(2)
    b = numpy.zeros(3, numpy.int32)
    g = _FakeCupy()
    assert type_check.same_types(a, b)
    assert type_check.same_types(a)
    assert type_check.same_types()
    assert type_check.same_types(g, _FakeCupy())
    assert not type_check.same_types(a, g)
    assert not type_check.same_types(g, a)
    assert not type_check.same_types(a, 1.0)
    assert not type_check.same_types(a, numpy.float32(1))


def test_eval_plain_values():
    assert type_check.eval(3) == 3
    x_type, = _types(numpy.zeros((2, 5)))
    assert type_check.eval((x_type.ndim, [x_type.shape[1], 1])) == (2, [5, 1])


# --- expect_broadcast_shapes ------------------------------------------------

@pytest.mark.parametrize('shapes', [
    [(2, 3), (3,)], [(2, 1), (1, 4)], [(), (5, 6)], [(4, 1, 3), (2, 1)],
    [(0, 3), (1, 3)], [(2, 3)], [],
])
def test_broadcast_ok(shapes):
    types = _types(*[numpy.zeros(s) for s in shapes])
    type_check.expect_broadcast_shapes(*[t.shape for t in types])
    type_check.expect_broadcast_shapes(*shapes)


@pytest.mark.parametrize('shapes', [
    [(2, 3), (4,)], [(2, 1), (3, 4), (5, 1)], [(0,), (2,)], [(3, 2), (2, 3)],
])
def test_broadcast_fails(shapes):
    types = _types(*[numpy.zeros(s) for s in shapes])
    with pytest.raises(InvalidType) as info:
        type_check.expect_broadcast_shapes(*[t.shape for t in types])
    msg = str(info.value)
    assert 'cannot broadcast' in msg
    for i, s in enumerate(shapes):
        assert 'in_types[{}].shape = {}'.format(i, s) in msg
    with pytest.raises(ValueError):
        numpy.broadcast_shapes(*shapes)


def test_broadcast_argname_and_header():
    types = _types(numpy.zeros((2, 3)), numpy.zeros((4,)))
    type_check.argname(types, ('a', 'b'))
    with type_check.get_function_check_context('Add'):
        with pytest.raises(InvalidType) as info:
            type_check.expect_broadcast_shapes(types[0].shape, types[1].shape)
    msg = str(info.value)
    assert 'Invalid operation is performed in: Add (Forward)' in msg
    assert 'a.shape = (2, 3)' in msg and 'b.shape = (4,)' in msg


def test_broadcast_allow_none():
    types = _types(numpy.zeros((2, 3)), None, accept_none=True)
    type_check.expect_broadcast_shapes((2, 3), None, (3,), allow_none=True)
    with pytest.raises(TypeError):
        type_check.expect_broadcast_shapes((2, 3), None)
    # shape of a None input is (), which broadcasts with anything
    type_check.expect_broadcast_shapes(types[0].shape, types[1].shape)
    with pytest.raises(TypeError):
        type_check.expect_broadcast_shapes((2,), bogus=True)


# --- light mode -------------------------------------------------------------

def test_light_mode_flag_nesting():
    assert not type_check.in_light_mode()
    with type_check.light_mode:
        assert type_check.in_light_mode()
        with type_check.light_mode():
            assert type_check.in_light_mode()
        assert type_check.in_light_mode()
    assert not type_check.in_light_mode()


def test_light_mode_is_thread_local():
    seen = []
    with type_check.light_mode:
        t = threading.Thread(
            target=lambda: seen.append(type_check.in_light_mode()))
        t.start()
        t.join()
    assert seen == [False]


def test_light_mode_plain_values():
    x = numpy.zeros((2, 3), numpy.float32)
    with type_check.light_mode:
        t = type_check.get_light_types((x,))
        assert isinstance(t, type_check.LightTypeInfoTuple)
        assert t.size() == 1
        assert t[0] is x
        assert type_check.eval(t[0].ndim) == 2
        assert type_check.make_variable(3, 'k') == 3
        assert type_check.prod(t[0].shape) == 6
        type_check.expect(t[0].ndim == 2, t[0].dtype.kind == 'f')
        with pytest.raises(InvalidType):
            type_check.expect(t[0].ndim == 2, t[0].ndim == 3)
        type_check.argname(t, ('x',))
        with pytest.raises(InvalidType):
            type_check.argname(t, ('x', 'y'))
        # Expressions are still checked properly in light mode.
        with pytest.raises(InvalidType):
            type_check.expect(t[0].ndim == type_check.Variable(3, 'n'))


def test_get_light_types_none_and_shapes():
    x = numpy.zeros((2, 3), numpy.float32)
    t = type_check.get_light_types((x, None), accept_none=True)
    assert t[1].dtype is None and t[1].shape == ()
    t = type_check.get_light_types((x,), shapes=[(6,)])
    assert t[0].shape == (6,) and t[0].dtype == numpy.float32


# --- check_types (FunctionNode protocol) ------------------------------------

def _linear_check(in_types):
    type_check._argname(in_types, ('x', 'W'))
    x_type, w_type = in_types
    type_check.expect(
        x_type.dtype.kind == 'f',
        x_type.dtype == w_type.dtype,
        x_type.ndim >= 2,
        x_type.shape[1] == w_type.shape[1],
        type_check.prod(x_type.shape[1:]) == w_type.shape[1],
    )


def test_check_types_passes():
    x = numpy.zeros((2, 3), numpy.float32)
    w = numpy.zeros((4, 3), numpy.float32)
    type_check.check_types(_linear_check, (x, w), 'Linear')


def test_check_types_failure_message():
    x = numpy.zeros((2, 3), numpy.int32)
    w = numpy.zeros((4, 3), numpy.float32)
    with pytest.raises(InvalidType) as info:
        type_check.check_types(_linear_check, (x, w), 'LinearFunction')
    assert str(info.value) == (
        '\nInvalid operation is performed in: LinearFunction (Forward)\n\n'
        'Expect: x.dtype.kind == f\nActual: i != f')
    assert not type_check.in_light_mode()


def test_check_types_wrong_number_of_arguments():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType) as info:
        type_check.check_types(_linear_check, (x,), 'Linear', 'Backward')
    msg = str(info.value)
    assert 'Linear (Backward)' in msg
    assert 'Actual: 1 argument(s)' in msg


def test_check_types_low_ndim_reports_condition():
    # In light mode x.shape[1] raises IndexError; the full rerun reports
    # the ndim condition instead.
    x = numpy.zeros((3,), numpy.float32)
    w = numpy.zeros((4, 3), numpy.float32)
    with pytest.raises(InvalidType) as info:
        type_check.check_types(_linear_check, (x, w), 'Linear')
    assert info.value.expect == 'x.ndim >= 2'
    assert info.value.actual == '1 < 2'


def test_check_types_python_or_is_rejected_on_failure():
    def check(in_types):
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == 'f' or x_type.ndim == 1)

    with pytest.raises(RuntimeError):
        type_check.check_types(check, (numpy.zeros((2, 2), 'i'),), 'F')
