"""The backward engine shared by ``Variable.backward`` and ``grad``.

Function nodes are visited in decreasing rank from a heap, so a node runs
only after every node that consumed its outputs; nothing recurses, so graph
depth is limited only by memory. A node's output gradients are dropped as
soon as it has run (unless ``retain_grad``), which frees intermediate
gradients while the walk goes on.
"""
import heapq
import traceback
import weakref

import numpy

from dynet import backend, function_hook
from dynet.backend._cupy import is_cupy_array
from dynet.config import config, using_config
from dynet.variable import Variable

_new_grad = Variable._output
_merged_hooks = function_hook.merged_hooks


def backward_from_variable(variable, retain_grad, enable_double_backprop,
                           loss_scale):
    node = variable._node
    if node is None or node.creator_node is None:
        return
    grad_var = variable._grad_var
    if grad_var is None:
        data = variable._data
        if data.size != 1:
            raise RuntimeError(
                'backward: {} has shape {} (not one element) and no grad; set '
                'its grad (e.g. y.grad = xp.ones_like(y.array)) before '
                'calling backward'.format(variable._describe(), data.shape))
        xp = backend.get_array_module(data)
        grad_var = _new_grad(xp.ones_like(data), False)
        variable._grad_var = grad_var
    if loss_scale is not None:
        grad_var = _new_grad(grad_var._data * loss_scale, False)
    run([node], [grad_var], retain_grad=retain_grad,
        enable_double_backprop=enable_double_backprop, loss_scale=loss_scale)


def run(output_nodes, output_grads, retain_grad=False,
        enable_double_backprop=False, loss_scale=None, input_nodes=None):
    """Propagates ``output_grads`` back through the graph.

    With ``input_nodes`` None, gradients are added to the ``grad`` of every
    leaf that requires one. Otherwise the gradients of ``input_nodes`` are
    returned (one per node, None where unreachable) and no leaf is touched;
    only the part of the graph leading to those nodes is visited.
    """
    grads = {}
    # Sums this walk allocated (id -> weakref): only those are added to in
    # place; a gradient a backward returned may alias another array.
    owned = {}
    for node, grad in zip(output_nodes, output_grads):
        if grad is not None:
            grads[node] = _accumulate(grads.get(node), grad,
                                      enable_double_backprop, owned)
    wanted = None if input_nodes is None else \
        _functions_leading_to(output_nodes, input_nodes)
    heap = []
    pushed = set()
    order = 0
    for node in output_nodes:
        func = node.creator_node
        if func is not None and func not in pushed and (
                wanted is None or func in wanted):
            pushed.add(func)
            heapq.heappush(heap, (-func.rank, order, func))
            order += 1
    root_nodes = set(output_nodes)
    # Gradients of these nodes are results: never dropped during the walk.
    keep = root_nodes.union(input_nodes or ())
    debug = config.debug
    get = grads.get
    pop = grads.pop
    heappop = heapq.heappop

    with using_config('enable_backprop', enable_double_backprop):
        while heap:
            func = heappop(heap)[2]
            inputs = func.inputs
            if inputs is None:
                continue  # unchained while waiting in the heap
            grad_outputs = []
            has_grad = False
            for ref in func.outputs:
                node = ref()
                if node is None:
                    grad = None
                elif retain_grad or node in keep:
                    grad = get(node)
                else:
                    grad = pop(node, None)
                if grad is not None:
                    has_grad = True
                grad_outputs.append(grad)
            if retain_grad:
                _set_retained_grads(func, grad_outputs, root_nodes)
            if not has_grad:
                continue
            targets = tuple([i for i, x in enumerate(inputs)
                             if x.requires_grad])
            if not targets:
                continue
            grad_inputs = _call_backward(func, targets, tuple(grad_outputs),
                                         debug)
            for index, gx in zip(targets, grad_inputs):
                if gx is None:
                    continue
                x = inputs[index]
                if type(gx) is not Variable or gx._data.shape != x.shape:
                    _check_grad(func, index, x, gx)
                total = get(x)
                grads[x] = gx if total is None else _accumulate(
                    total, gx, enable_double_backprop, owned)
                creator = x.creator_node
                if creator is not None and creator not in pushed and (
                        wanted is None or creator in wanted):
                    pushed.add(creator)
                    heapq.heappush(heap, (-creator.rank, order, creator))
                    order += 1

    if input_nodes is not None:
        return [grads.get(node) for node in input_nodes]
    leaf_grads = {node: grad for node, grad in grads.items()
                  if node.creator_node is None and node not in root_nodes}
    _store_leaf_grads(leaf_grads, output_grads, loss_scale,
                      enable_double_backprop)


def _call_backward(func, targets, grad_outputs, debug):
    hooks = function_hook._state.function_hooks
    if hooks or func._local_function_hooks:
        hooks = _merged_hooks(hooks, func._local_function_hooks)
        in_data = tuple([x.data for x in func.inputs])
        out_grad = tuple([None if g is None else g._data
                          for g in grad_outputs])
        for hook in hooks:
            hook.backward_preprocess(func, in_data, out_grad)
    gxs = func.backward(targets, grad_outputs)
    if type(gxs) is not tuple:
        if isinstance(gxs, list):
            gxs = tuple(gxs)
        else:
            raise TypeError('{}.backward must return a tuple, got {}'.format(
                func.label, type(gxs).__name__))
    n_inputs = len(func.inputs)
    if len(gxs) == n_inputs and len(targets) != n_inputs:
        gxs = tuple([gxs[i] for i in targets])
    elif len(gxs) != len(targets):
        raise ValueError(
            '{}.backward returned {} gradients; expected {} (one per input) '
            'or {} (one per target input)'.format(
                func.label, len(gxs), n_inputs, len(targets)))
    if hooks:
        for hook in hooks:
            hook.backward_postprocess(func, in_data, out_grad)
    if debug:
        for index, gx in zip(targets, gxs):
            if gx is not None and gx.dtype.kind == 'f':
                array = gx._data
                finite = (array.get() if is_cupy_array(array) else array)
                if not numpy.isfinite(finite).all():
                    stack = ''.join(traceback.format_list(
                        (func.stack or [])[-5:]))
                    raise RuntimeError(
                        'NaN or Inf in the gradient of input {} of {} '
                        '(backward)\nThe function was called at:\n{}'.format(
                            index, func.label, stack))
    return gxs


def _check_grad(func, index, x, gx):
    """Slow path: explains a gradient that is not a Variable of the
    input's shape."""
    if not isinstance(gx, Variable):
        raise TypeError('{}.backward must return Variables (or None), got {} '
                        'for input {}'.format(func.label, type(gx).__name__,
                                              index))
    if x.shape is not None and gx._data.shape != x.shape:
        raise ValueError(
            '{}.backward: the gradient of input {} has shape {}, but the '
            'input has shape {}'.format(func.label, index, gx._data.shape,
                                        x.shape))


def _accumulate(total, grad, enable_double_backprop, owned):
    """total + grad. The first sum for a node is a new array (recorded in
    ``owned``); later ones add into it in place, which saves an
    allocation per term when a weight is shared across many steps (an
    RNN unrolled over time)."""
    if total is None:
        return grad
    if enable_double_backprop:
        return total + grad
    a, b = total._data, grad._data
    ref = owned.get(id(total))
    if ref is not None and ref() is total and a.shape == b.shape and \
            a.dtype == b.dtype:
        a += b
        return total
    total = _new_grad(_add_arrays(a, b), False)
    owned[id(total)] = weakref.ref(total)
    return total


def _add_arrays(a, b):
    # NumPy returns a scalar, not an array, for the sum of 0-dim arrays.
    total = a + b
    if type(total) is not type(a):
        total = numpy.asarray(total)
    return total


def _set_retained_grads(func, grad_outputs, root_nodes):
    for ref, grad in zip(func.outputs, grad_outputs):
        node = ref()
        if node is None or grad is None or node in root_nodes:
            continue
        variable = node._variable()
        if variable is not None:
            variable._grad_var = grad


def _store_leaf_grads(leaf_grads, output_grads, loss_scale,
                      enable_double_backprop):
    """Adds computed gradients to the leaves' ``grad``.

    Backward may hand out shared or read-only arrays (an add node passes
    one array to both inputs; broadcast_to yields a read-only view). A leaf
    gradient is what optimizers update in place, so each leaf gets an
    array of its own, unless the graph must be kept for double backprop.
    """
    given = {id(g._data) for g in output_grads if g is not None}
    for node, grad in leaf_grads.items():
        variable = node._variable()
        if variable is None or not node.requires_grad:
            continue
        array = grad._data
        if not enable_double_backprop and (
                id(array) in given or not _owns_writable(array)):
            grad = _new_grad(array.copy(), False)
        given.add(id(grad._data))
        current = variable._grad_var
        if current is None:
            variable._grad_var = grad
        elif enable_double_backprop:
            variable._grad_var = current + grad
        else:
            variable._grad_var = _new_grad(_add_arrays(current._data,
                                                       grad._data),
                                           False)
        if loss_scale is not None:
            variable._loss_scale = loss_scale


def _owns_writable(array):
    flags = getattr(array, 'flags', None)
    if flags is not None and not getattr(flags, 'writeable', True):
        return False
    return array.base is None


def _functions_leading_to(output_nodes, input_nodes):
    """The function nodes on some path from the outputs to the inputs."""
    targets = set(input_nodes)
    reachable = []
    seen = set()
    stack = [n.creator_node for n in output_nodes
             if n.creator_node is not None]
    for func in stack:
        seen.add(func)
    while stack:
        func = stack.pop()
        reachable.append(func)
        for x in func.inputs or ():
            creator = x.creator_node
            if creator is not None and creator not in seen:
                seen.add(creator)
                stack.append(creator)
    leads = set()
    # Ascending rank: every creator is decided before its consumers.
    for func in sorted(reachable, key=lambda f: f.rank):
        for x in func.inputs or ():
            if x in targets or (x.creator_node is not None and
                                x.creator_node in leads):
                leads.add(func)
                break
    return leads


def grad(outputs, inputs, grad_outputs=None, grad_inputs=None,
         set_grad=False, retain_grad=False, enable_double_backprop=False,
         loss_scale=None):
    """Gradients of ``outputs`` with respect to ``inputs``.

    Unlike ``Variable.backward``, nothing is written to any variable's
    ``grad`` (unless ``set_grad=True``); the gradients are returned as a
    list of Variables, one per input (None where an input does not
    influence the outputs).

    Args:
        outputs: a list of output Variables.
        inputs: a list of Variables to differentiate with respect to.
        grad_outputs: initial gradients (Variables, arrays or None) per
            output; None means 1 for one-element outputs.
        grad_inputs: gradients to add to the result, one per input.
        set_grad: also store the results in the inputs' ``grad_var``.
        retain_grad: keep gradients of intermediate variables.
        enable_double_backprop: record the backward computation so that
            the result can itself be differentiated.
        loss_scale: multiplies the initial gradients.
    """
    if not isinstance(outputs, (tuple, list)):
        raise TypeError('grad: outputs must be a tuple or list of Variables, '
                        'got {}'.format(type(outputs).__name__))
    if not isinstance(inputs, (tuple, list)):
        raise TypeError('grad: inputs must be a tuple or list of Variables, '
                        'got {}'.format(type(inputs).__name__))
    for name, seq in (('outputs', outputs), ('inputs', inputs)):
        for i, v in enumerate(seq):
            if not isinstance(v, Variable):
                raise TypeError('grad: {}[{}] must be a Variable, got {}'
                                .format(name, i, type(v).__name__))
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError('grad: got {} grad_outputs for {} outputs'.format(
            len(grad_outputs), len(outputs)))
    if grad_inputs is not None and len(grad_inputs) != len(inputs):
        raise ValueError('grad: got {} grad_inputs for {} inputs'.format(
            len(grad_inputs), len(inputs)))
    initial = []
    for i, (y, gy) in enumerate(zip(outputs, grad_outputs)):
        if gy is None:
            if y.size != 1:
                raise ValueError(
                    'grad: outputs[{}] has shape {}; give its grad_outputs '
                    'entry (only one-element outputs default to 1)'.format(
                        i, y.shape))
            xp = y.xp
            gy = _new_grad(xp.ones_like(y.array), False)
        elif not isinstance(gy, Variable):
            gy = _new_grad(gy, False)
        if loss_scale is not None:
            gy = gy * loss_scale
        initial.append(gy)
    output_nodes = [y.node for y in outputs]
    input_nodes = [x.node for x in inputs]
    results = run(output_nodes, initial, retain_grad=retain_grad,
                  enable_double_backprop=enable_double_backprop,
                  input_nodes=input_nodes)
    # An input that is also an output gets its initial gradient.
    for i, node in enumerate(input_nodes):
        for y_node, gy in zip(output_nodes, initial):
            if node is y_node and results[i] is None:
                results[i] = gy
    if grad_inputs is not None:
        results = [
            g if gi is None else (gi if g is None else g + gi)
            for g, gi in zip(results, grad_inputs)]
    if set_grad:
        for x, g in zip(inputs, results):
            x._grad_var = g
    return results
