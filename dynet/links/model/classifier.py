"""Classifier: a predictor wrapped with a loss and an accuracy."""
from dynet import link
from dynet import reporter
from dynet.functions.evaluation.accuracy import accuracy
from dynet.functions.loss.softmax_cross_entropy import softmax_cross_entropy


class Classifier(link.Chain):
    """Computes ``lossfun(predictor(*x), t)`` and reports 'loss' (and
    'accuracy' when ``compute_accuracy``).

    Args:
        predictor: the link computing the scores.
        lossfun: loss function (default ``softmax_cross_entropy``).
        accfun: accuracy function (default ``accuracy``).
        label_key (int or str): which argument is the label: a position
            (default -1, the last) or a keyword name.

    Attributes ``y``, ``loss`` and ``accuracy`` hold the last results.
    """

    compute_accuracy = True

    def __init__(self, predictor, lossfun=softmax_cross_entropy,
                 accfun=accuracy, label_key=-1):
        if not isinstance(label_key, (int, str)):
            raise TypeError('Classifier: label_key must be an int or a str, '
                            'got {}'.format(type(label_key).__name__))
        super().__init__()
        self.lossfun = lossfun
        self.accfun = accfun
        self.y = None
        self.loss = None
        self.accuracy = None
        self.label_key = label_key
        with self.init_scope():
            self.predictor = predictor

    def forward(self, *args, **kwargs):
        if isinstance(self.label_key, int):
            if not -len(args) <= self.label_key < len(args):
                raise ValueError(
                    'Classifier: label_key {} is out of range for {} '
                    'positional arguments'.format(self.label_key, len(args)))
            t = args[self.label_key]
            if self.label_key == -1:
                args = args[:-1]
            else:
                args = args[:self.label_key] + args[self.label_key + 1:]
        else:
            if self.label_key not in kwargs:
                raise ValueError('Classifier: label_key {!r} is not among '
                                 'the keyword arguments'.format(
                                     self.label_key))
            kwargs = dict(kwargs)
            t = kwargs.pop(self.label_key)
        self.y = None
        self.loss = None
        self.accuracy = None
        self.y = self.predictor(*args, **kwargs)
        self.loss = self.lossfun(self.y, t)
        reporter.report({'loss': self.loss}, self)
        if self.compute_accuracy:
            self.accuracy = self.accfun(self.y, t)
            reporter.report({'accuracy': self.accuracy}, self)
        return self.loss
