"""LinkHook: registration (global and per link) and the calls around
Link.__call__."""
import copy
import threading

import numpy
import pytest

import dynet
import dynet.links as L
from dynet import link as link_module
from dynet.link_hook import LinkHook, _get_link_hooks


class Recorder(LinkHook):
    """Records every callback as a tuple in the shared list ``log``."""

    def __init__(self, log, name=None):
        self.log = log
        if name is not None:
            self.name = name

    def added(self, link):
        self.log.append(('added', self.name, link))

    def deleted(self, link):
        self.log.append(('deleted', self.name, link))

    def forward_preprocess(self, args):
        self.log.append(('pre', self.name, args.link, args.forward_name,
                         args.args, dict(args.kwargs)))

    def forward_postprocess(self, args):
        self.log.append(('post', self.name, args.link, args.forward_name,
                         args.args, dict(args.kwargs), args.out))


class Double(dynet.Link):

    def forward(self, x, scale=1):
        return x * 2 * scale


class Outer(dynet.Chain):

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.inner = Double()

    def forward(self, x):
        return self.inner(x) + 1


class Failing(dynet.Link):

    def forward(self, x):
        raise RuntimeError('failing on purpose')


def test_defaults():
    hook = LinkHook()
    assert hook.name == 'LinkHook'
    # The callbacks exist and do nothing.
    assert hook.added(None) is None
    assert hook.deleted(None) is None
    assert hook.forward_preprocess(None) is None
    assert hook.forward_postprocess(None) is None


def test_local_hook_callbacks_and_arguments():
    log = []
    link = Double()
    hook = Recorder(log)
    assert link.add_hook(hook) is link
    assert log == [('added', 'LinkHook', link)]
    assert list(link.local_link_hooks.items()) == [('LinkHook', hook)]
    out = link(3, scale=5)
    assert out == 30
    assert log[1] == ('pre', 'LinkHook', link, 'forward', (3,), {'scale': 5})
    assert log[2] == ('post', 'LinkHook', link, 'forward', (3,),
                      {'scale': 5}, 30)
    link.delete_hook('LinkHook')
    assert log[3] == ('deleted', 'LinkHook', link)
    assert len(link.local_link_hooks) == 0
    link(1)
    assert len(log) == 4  # no more callbacks


def test_add_hook_with_name_and_order():
    log = []
    link = Double()
    link.add_hook(Recorder(log, 'a'))
    link.add_hook(Recorder(log, 'b'), name='c')
    assert list(link.local_link_hooks) == ['a', 'c']
    del log[:]
    link(1)
    assert [(e[0], e[1]) for e in log] == [
        ('pre', 'a'), ('pre', 'b'), ('post', 'a'), ('post', 'b')]
    link.delete_hook('c')
    assert list(link.local_link_hooks) == ['a']


def test_add_hook_errors():
    link = Double()
    with pytest.raises(TypeError, match='add_hook.*LinkHook.*int'):
        link.add_hook(3)
    link.add_hook(LinkHook())
    with pytest.raises(KeyError, match='already'):
        link.add_hook(LinkHook())
    with pytest.raises(KeyError, match="delete_hook.*'nope'"):
        link.delete_hook('nope')


def test_add_hook_refused_by_added_is_not_registered():
    class Refusing(LinkHook):
        def added(self, link):
            raise ValueError('no')

    link = Double()
    with pytest.raises(ValueError):
        link.add_hook(Refusing())
    assert len(link.local_link_hooks) == 0
    assert '_has_link_hooks' not in link.__dict__


def test_global_hook_applies_to_all_links_in_the_block():
    log = []
    model = Outer()
    with Recorder(log) as hook:
        assert _get_link_hooks()['LinkHook'] is hook
        assert model(1) == 3
    assert log[0] == ('added', 'LinkHook', None)
    calls = [(e[0], e[2]) for e in log[1:-1]]
    assert calls == [('pre', model), ('pre', model.inner),
                     ('post', model.inner), ('post', model)]
    assert log[-1] == ('deleted', 'LinkHook', None)
    assert 'LinkHook' not in _get_link_hooks()
    del log[:]
    model(1)
    assert log == []
    assert link_module.Link._has_link_hooks is False


def test_global_hook_name_conflict():
    with LinkHook():
        with pytest.raises(KeyError, match='already registered'):
            LinkHook().__enter__()
    assert link_module.Link._has_link_hooks is False


def test_local_hook_does_not_apply_to_children():
    log = []
    model = Outer()
    model.add_hook(Recorder(log))
    del log[:]
    model(1)
    assert [(e[0], e[2]) for e in log] == [('pre', model), ('post', model)]


def test_global_then_local_and_local_replaces_same_name():
    log = []
    link = Double()
    link.add_hook(Recorder(log, 'local'))
    link.add_hook(Recorder(log, 'shared'), name='shared')
    with Recorder(log, 'global'), Recorder(log, 'shared_global'):
        del log[:]
        link(1)
    assert [e[1] for e in log if e[0] == 'pre'] == [
        'global', 'shared_global', 'local', 'shared']
    # Now a local hook under the name of a global one replaces it.
    del log[:]
    glob = Recorder(log, 'x')
    loc = Recorder(log, 'x-local')
    link2 = Double()
    link2.add_hook(loc, name='x')
    with glob:
        del log[:]
        link2(1)
    assert [e[1] for e in log if e[0] == 'pre'] == ['x-local']


def test_global_hooks_are_thread_local():
    log = []
    link = Double()
    seen = []

    def other_thread():
        seen.append(dict(_get_link_hooks()))
        link(1)

    with Recorder(log):
        del log[:]
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert seen == [{}]
        assert log == []   # the other thread's call ran no hook
        link(1)
        assert len(log) == 2


def test_forward_error_skips_postprocess_and_tells_aborting_hooks():
    events = []

    class Aborting(LinkHook):
        name = 'aborting'

        def forward_preprocess(self, args):
            events.append('pre')

        def forward_postprocess(self, args):
            events.append('post')

        def _forward_aborted(self, args):
            events.append(('aborted', args.link))

    link = Failing()
    link.add_hook(Aborting())
    with pytest.raises(RuntimeError, match='on purpose'):
        link(1)
    assert events == ['pre', ('aborted', link)]


def test_no_forward_method():
    link = dynet.Link()
    with pytest.raises(NotImplementedError, match='Link defines no forward'):
        link(1)
    link.add_hook(LinkHook())
    with pytest.raises(NotImplementedError, match='Link defines no forward'):
        link(1)


def test_has_link_hooks_flag_follows_registrations():
    link = Double()
    assert not link._has_link_hooks
    link.add_hook(LinkHook())
    assert link._has_link_hooks
    link.delete_hook('LinkHook')
    assert not link._has_link_hooks
    with LinkHook():
        assert link._has_link_hooks
        link.add_hook(LinkHook(), name='own')
        link.delete_hook('own')
        assert link._has_link_hooks   # the global one still counts
    assert not link._has_link_hooks


def test_copy_share_has_its_own_hook_table():
    link = Double()
    hook = LinkHook()
    link.add_hook(hook)
    shared = link.copy('share')
    assert shared.local_link_hooks['LinkHook'] is hook
    shared.delete_hook('LinkHook')
    assert 'LinkHook' in link.local_link_hooks
    assert link._has_link_hooks and not shared._has_link_hooks


def test_deepcopy_and_copy_modes_keep_hooks_working():
    log = []
    link = Double()
    link.add_hook(Recorder(log))
    for clone in (link.copy('copy'), copy.deepcopy(link)):
        del log[:]
        clone(1)
        hook = clone.local_link_hooks['LinkHook']
        assert [e[0] for e in hook.log[-2:]] == ['pre', 'post']


def test_callback_args_repr():
    reprs = []

    class Repr(LinkHook):
        def forward_preprocess(self, args):
            reprs.append(repr(args))

        def forward_postprocess(self, args):
            reprs.append(repr(args))

    link = Double()
    link.add_hook(Repr())
    link(numpy.zeros(3), scale=2)
    assert 'link=Double' in reprs[0] and "forward_name='forward'" in reprs[0]
    assert 'out=' in reprs[1]


def test_real_link_with_hook_gives_same_result():
    lin = L.Linear(3, 2)
    x = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    expected = lin(x).array
    lin.add_hook(LinkHook())
    numpy.testing.assert_array_equal(lin(x).array, expected)
