"""Drawing the graph behind some Variables (Graphviz dot)."""
import html

from dynet.function_node import FunctionNode
from dynet.variable import Variable, VariableNode

_VARIABLE_STYLE = {'shape': 'octagon', 'fillcolor': '#E0E0E0',
                   'style': 'filled'}
_FUNCTION_STYLE = {'shape': 'record', 'fillcolor': '#6495ED',
                   'style': 'filled'}


class ComputationalGraph:
    """Nodes (VariableNodes and FunctionNodes) and edges of a graph.

    ``dump()`` renders it in Graphviz's dot language.
    """

    def __init__(self, nodes, edges, variable_style='default',
                 function_style='default', rankdir='TB',
                 remove_variable=False, show_name=True):
        if rankdir not in ('TB', 'BT', 'LR', 'RL'):
            raise ValueError("rankdir must be 'TB', 'BT', 'LR' or 'RL', got "
                             "{!r}".format(rankdir))
        self.nodes = nodes
        self.edges = edges
        self.variable_style = dict(_VARIABLE_STYLE) \
            if variable_style == 'default' else (variable_style or {})
        self.function_style = dict(_FUNCTION_STYLE) \
            if function_style == 'default' else (function_style or {})
        self.rankdir = rankdir
        self.remove_variable = remove_variable
        self.show_name = show_name

    def _label(self, node):
        if isinstance(node, VariableNode):
            label = node.label
            if self.show_name and node.name is not None:
                label = '{}: {}'.format(node.name, label)
            return label
        return node.label

    def _to_dot(self):
        lines = ['digraph graphname{{rankdir={};'.format(self.rankdir)]
        for node in self.nodes:
            style = self.variable_style if isinstance(node, VariableNode) \
                else self.function_style
            attributes = dict(style, label=self._label(node))
            text = ','.join('{}="{}"'.format(key, html.escape(
                str(value), quote=True)) for key, value in
                sorted(attributes.items()))
            lines.append('{} [{}];'.format(id(node), text))
        for head, tail in self.edges:
            lines.append('{} -> {};'.format(id(head), id(tail)))
        lines.append('}')
        return '\n'.join(lines)

    def dump(self, format='dot'):
        """The graph as text; only the 'dot' format is supported."""
        if format != 'dot':
            raise NotImplementedError(
                "ComputationalGraph.dump: only format='dot' is supported, "
                "got {!r}".format(format))
        return self._to_dot()


def build_computational_graph(outputs, remove_split=True,
                              variable_style='default',
                              function_style='default', rankdir='TB',
                              remove_variable=False, show_name=True):
    """Collects the graph that produced ``outputs``.

    Args:
        outputs: Variables, VariableNodes or FunctionNodes (a single one or
            a sequence) from which to walk back.
        remove_split: kept for compatibility (dynet has no split nodes).
        variable_style, function_style: dicts of Graphviz attributes, or
            'default'.
        rankdir: 'TB', 'BT', 'LR' or 'RL'.
        remove_variable: draw only functions, linked directly.
        show_name: prefix variable labels with their names.
    Returns:
        ComputationalGraph
    """
    if isinstance(outputs, (Variable, VariableNode, FunctionNode)):
        outputs = [outputs]
    start = []
    for i, out in enumerate(outputs):
        if isinstance(out, Variable):
            start.append(out.node)
        elif isinstance(out, (VariableNode, FunctionNode)):
            start.append(out)
        else:
            raise TypeError(
                'build_computational_graph: outputs[{}] must be a Variable, '
                'VariableNode or FunctionNode, got {}'.format(
                    i, type(out).__name__))

    nodes = []
    edges = []
    seen = set()
    pending = list(start)
    for node in start:
        seen.add(id(node))
    while pending:
        node = pending.pop()
        nodes.append(node)
        if isinstance(node, VariableNode):
            func = node.creator_node
            if func is None:
                continue
            edges.append((func, node))
            if id(func) not in seen:
                seen.add(id(func))
                pending.append(func)
        else:
            for input_node in node.inputs or ():
                edges.append((input_node, node))
                if id(input_node) not in seen:
                    seen.add(id(input_node))
                    pending.append(input_node)
    nodes.reverse()
    edges = list(dict.fromkeys(edges))
    if remove_variable:
        nodes, edges = _functions_only(nodes, edges)
    return ComputationalGraph(nodes, edges, variable_style, function_style,
                              rankdir, remove_variable, show_name)


def _functions_only(nodes, edges):
    producers = {}
    for head, tail in edges:
        if isinstance(head, FunctionNode):
            producers[id(tail)] = head
    function_edges = []
    for head, tail in edges:
        if isinstance(head, VariableNode) and id(head) in producers:
            function_edges.append((producers[id(head)], tail))
    nodes = [n for n in nodes if isinstance(n, FunctionNode)]
    return nodes, list(dict.fromkeys(function_edges))
