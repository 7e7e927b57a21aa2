import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import computational_graph as c


def _graph():
    x = dynet.Variable(numpy.ones((2, 3), numpy.float32), name='x')
    w = dynet.Variable(numpy.ones((3, 4), numpy.float32), name='w')
    h = F.relu(x @ w)
    y = F.sum(h * h)
    return x, w, y


def test_nodes_and_edges():
    x, w, y = _graph()
    g = c.build_computational_graph([y])
    labels = [n.label for n in g.nodes if isinstance(n, dynet.FunctionNode)]
    assert sorted(labels) == ['MatMul', 'Mul', 'ReLU', 'Sum']
    n_vars = sum(isinstance(n, dynet.VariableNode) for n in g.nodes)
    assert n_vars == 6  # x, w, x@w, relu, h*h, y
    mul = y.creator.inputs[0].creator
    relu_out = mul.inputs[0]
    # h is used twice by Mul but the edge is drawn once.
    assert g.edges.count((relu_out, mul)) == 1
    assert (x.node, y.creator.inputs[0].creator.inputs[0].creator.inputs[
        0].creator) in g.edges


def test_dump_dot():
    _, _, y = _graph()
    dot = c.build_computational_graph(y, rankdir='LR').dump()
    assert dot.startswith('digraph graphname{rankdir=LR;')
    assert 'label="x: (2, 3), float32"' in dot
    assert 'label="MatMul"' in dot and 'shape="record"' in dot
    assert dot.count('->') == 9
    assert dot.rstrip().endswith('}')


def test_remove_variable_and_styles():
    _, _, y = _graph()
    g = c.build_computational_graph([y], remove_variable=True,
                                    function_style={'shape': 'box'},
                                    show_name=False)
    assert all(isinstance(n, dynet.FunctionNode) for n in g.nodes)
    assert len(g.edges) == 3  # matmul->relu, relu->mul, mul->sum
    dot = g.dump()
    assert 'shape="box"' in dot and 'octagon' not in dot


def test_errors():
    _, _, y = _graph()
    with pytest.raises(TypeError, match=r'outputs\[0\] must be a Variable'):
        c.build_computational_graph([1])
    with pytest.raises(ValueError, match='rankdir'):
        c.build_computational_graph([y], rankdir='XY')
    with pytest.raises(NotImplementedError, match='dot'):
        c.build_computational_graph([y]).dump('png')
