import numpy
import pytest

import dynet
import dynet.functions as F
from dynet import reporter as reporter_module


def test_report_with_observer_prefix_and_scope():
    link = dynet.Link()
    rep = dynet.Reporter()
    rep.add_observer('main', link)
    observation = {}
    with rep.scope(observation):
        dynet.report({'loss': 1.5}, link)
        dynet.report({'plain': 2})
    assert observation == {'main/loss': 1.5, 'plain': 2}


def test_add_observers_from_namedlinks():
    chain = dynet.Chain(child=dynet.Link())
    rep = dynet.Reporter()
    rep.add_observers('main', chain.namedlinks(skipself=True))
    observation = {}
    with rep.scope(observation):
        dynet.report({'x': 1}, chain.child)
    assert observation == {'main/child/x': 1}


def test_unregistered_observer_raises():
    rep = dynet.Reporter()
    with rep:
        with pytest.raises(KeyError, match='not registered'):
            dynet.report({'x': 1}, dynet.Link())


def test_report_without_reporter_is_noop_and_current_reporter_error():
    dynet.report({'x': 1})
    with pytest.raises(RuntimeError, match='no reporter is active'):
        dynet.get_current_reporter()


def test_variables_are_detached_unless_keep_graph():
    x = dynet.Variable(numpy.array([2.0], numpy.float32))
    y = F.sum(x * x)
    observation = {}
    with dynet.Reporter().scope(observation):
        dynet.report({'y': y})
        with dynet.using_config('keep_graph_on_report', True):
            dynet.report({'y_graph': y})
    assert observation['y'].creator is None
    assert float(observation['y'].array) == 4
    assert observation['y_graph'] is y


def test_report_scope_nested():
    rep = dynet.Reporter()
    outer, inner = {}, {}
    with rep.scope(outer):
        with dynet.report_scope(inner):
            dynet.report({'a': 1})
        dynet.report({'b': 2})
    assert inner == {'a': 1} and outer == {'b': 2}


def test_summary_statistics():
    s = dynet.Summary()
    for v in (1.0, numpy.array(2.0), dynet.Variable(numpy.array(3.0))):
        s.add(v)
    mean, std = s.make_statistics()
    assert mean == pytest.approx(2.0)
    assert std == pytest.approx(numpy.std([1, 2, 3]))
    s.add(10, weight=2)
    assert s.compute_mean() == pytest.approx((6 + 20) / 5)
    with pytest.raises(ZeroDivisionError):
        dynet.Summary().compute_mean()


def test_dict_summary_skips_non_scalars():
    d = dynet.DictSummary()
    d.add({'a': 1.0, 'b': numpy.ones(3), 'c': 'text', 'd': numpy.float32(2)})
    d.add({'a': 3.0})
    assert d.compute_mean() == {'a': 2.0, 'd': 2.0}
    stats = d.make_statistics()
    assert stats['a'] == 2.0 and stats['a.std'] == pytest.approx(1.0)


def test_dict_summary_serialize_round_trip():
    saved = {}

    class Writer:
        def __init__(self, prefix=''):
            self.prefix = prefix

        def __getitem__(self, key):
            return Writer(self.prefix + key + '/')

        def __call__(self, key, value):
            saved[self.prefix + key] = value
            return value

    class Reader(Writer):
        def __getitem__(self, key):
            return Reader(self.prefix + key + '/')

        def __call__(self, key, value):
            return saved[self.prefix + key]

    d = dynet.DictSummary()
    d.add({'main/loss': 1.0})
    d.add({'main/loss': 3.0, 'acc': 0.5})
    d.serialize(Writer())
    loaded = dynet.DictSummary()
    loaded.serialize(Reader())
    assert loaded.compute_mean() == d.compute_mean()
    assert reporter_module.json.loads(saved['_names']) == ['main/loss', 'acc']


@dynet.testing.attr.gpu
def test_summaries_of_gpu_values_stay_on_the_device_until_read():
    import cupy
    summary = dynet.DictSummary()
    summary.add({'loss': cupy.array(2.0, numpy.float32),
                 'var': dynet.Variable(cupy.array(4.0, numpy.float32)),
                 'vector': cupy.ones(3, numpy.float32)})
    summary.add({'loss': cupy.array(4.0, numpy.float32)})
    means = summary.compute_mean()
    assert set(means) == {'loss', 'var'}
    # nothing was copied to the host while adding
    assert isinstance(means['loss'], cupy.ndarray)
    assert float(means['loss']) == 3.0 and float(means['var']) == 4.0
    stats = summary.make_statistics()
    assert float(stats['loss.std']) == pytest.approx(1.0)
    serializer = dynet.serializers.DictionarySerializer()
    serializer.save(summary)
    restored = dynet.DictSummary()
    dynet.serializers.NpzDeserializer(serializer.target).load(restored)
    assert float(restored.compute_mean()['loss']) == 3.0
