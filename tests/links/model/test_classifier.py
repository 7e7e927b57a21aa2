import numpy
import pytest

import dynet
import dynet.functions as F
import dynet.links as L


def _data():
    x = numpy.array([[1, 0], [0, 1], [1, 1]], numpy.float32)
    t = numpy.array([0, 1, 1], numpy.int32)
    return x, t


def test_loss_accuracy_and_reports():
    predictor = L.Linear(2, 2, initialW=numpy.eye(2, dtype=numpy.float32))
    model = L.Classifier(predictor)
    x, t = _data()
    rep = dynet.Reporter()
    rep.add_observer('main', model)
    observation = {}
    with rep.scope(observation):
        loss = model(x, t)
    expected = F.softmax_cross_entropy(x, t).array
    numpy.testing.assert_allclose(loss.array, expected, rtol=1e-6)
    # argmax of [1, 1] is 0 -> one of three wrong.
    numpy.testing.assert_allclose(model.accuracy.array, 2 / 3, rtol=1e-6)
    assert set(observation) == {'main/loss', 'main/accuracy'}
    assert model.y.shape == (3, 2)
    assert [n for n, _ in model.namedparams()] == ['/predictor/W',
                                                   '/predictor/b']


def test_compute_accuracy_off_and_custom_functions():
    model = L.Classifier(L.Linear(2, 1), lossfun=lambda y, t:
                         F.sum((y - t) ** 2))
    model.compute_accuracy = False
    x, _ = _data()
    loss = model(x, numpy.ones((3, 1), numpy.float32))
    assert loss.shape == () and model.accuracy is None


def test_label_key_position_and_keyword():
    def predictor(a, b):
        return a + b

    model = L.Classifier(predictor, label_key=0,
                         lossfun=lambda y, t: F.sum(y * t))
    model.compute_accuracy = False
    one = numpy.ones(2, numpy.float32)
    assert float(model(one * 3, one, one).array) == 12  # sum((1+1)*3)
    model = L.Classifier(predictor, label_key='t',
                         lossfun=lambda y, t: F.sum(y * t))
    model.compute_accuracy = False
    assert float(model(one, one, t=one * 2).array) == 8
    with pytest.raises(ValueError, match="label_key 't'"):
        model(one, one)
    with pytest.raises(TypeError, match='label_key'):
        L.Classifier(predictor, label_key=1.0)
