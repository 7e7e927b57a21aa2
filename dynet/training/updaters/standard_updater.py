"""StandardUpdater: one optimizer step per batch."""
from dynet import backend
from dynet.dataset import convert
from dynet.training.updater import Updater


class StandardUpdater(Updater):
    """Takes a batch, converts it, and runs ``optimizer.update(loss_func,
    *arrays)``.

    Args:
        iterator: an iterator or a dict of them ('main' is used).
        optimizer: an optimizer or a dict of them ('main' is used).
        converter: ``converter(batch, device)`` -> arrays (tuple, dict or
            one array); default ``concat_examples``.
        device: device for the model and the inputs (the model is moved
            there once).
        loss_func: the loss; default ``optimizer.target``.
        loss_scale: passed to backward.
        auto_new_epoch: call ``optimizer.new_epoch`` at epoch ends.
        input_device: device for the inputs only (overrides ``device``).

    Subclasses override ``update_core``; ``self._iterators``,
    ``self._optimizers`` and ``self.iteration`` are part of the contract.
    """

    def __init__(self, iterator, optimizer, converter=None, device=None,
                 loss_func=None, loss_scale=None, auto_new_epoch=True, *,
                 input_device=None):
        if not isinstance(iterator, dict):
            iterator = {'main': iterator}
        if not isinstance(optimizer, dict):
            optimizer = {'main': optimizer}
        if 'main' not in iterator or 'main' not in optimizer:
            raise ValueError("StandardUpdater: the dicts of iterators and "
                             "optimizers need a 'main' entry")
        if device is not None:
            device = backend.get_device(device)
            for opt in optimizer.values():
                opt.target.to_device(device)
        if input_device is None:
            input_device = device
        elif input_device is not None:
            input_device = backend.get_device(input_device)
        self._iterators = iterator
        self._optimizers = optimizer
        self.converter = convert.concat_examples if converter is None \
            else converter
        self.device = device
        self.input_device = input_device
        self.loss_func = loss_func
        self.iteration = 0
        self.auto_new_epoch = auto_new_epoch
        if loss_scale is not None:
            for opt in optimizer.values():
                opt.loss_scale = loss_scale
        if auto_new_epoch:
            for opt in optimizer.values():
                opt.use_auto_new_epoch = True

    @property
    def epoch(self):
        return self._iterators['main'].epoch

    @property
    def epoch_detail(self):
        return self._iterators['main'].epoch_detail

    @property
    def previous_epoch_detail(self):
        return self._iterators['main'].previous_epoch_detail

    @property
    def is_new_epoch(self):
        return self._iterators['main'].is_new_epoch

    def get_optimizer(self, name):
        return self._optimizers[name]

    def get_all_optimizers(self):
        return dict(self._optimizers)

    def get_iterator(self, name):
        return self._iterators[name]

    def finalize(self):
        for iterator in self._iterators.values():
            iterator.finalize()

    def update(self):
        """One iteration: ``update_core`` and the counter."""
        self.update_core()
        self.iteration += 1

    def update_core(self):
        iterator = self._iterators['main']
        batch = iterator.next()
        in_arrays = convert.call_converter(self.converter, batch,
                                           self.input_device)
        optimizer = self._optimizers['main']
        loss_func = self.loss_func or optimizer.target
        if isinstance(in_arrays, tuple):
            optimizer.update(loss_func, *in_arrays)
        elif isinstance(in_arrays, dict):
            optimizer.update(loss_func, **in_arrays)
        else:
            optimizer.update(loss_func, in_arrays)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def serialize(self, serializer):
        for name, iterator in self._iterators.items():
            iterator.serialize(serializer['iterator:' + name])
        for name, optimizer in self._optimizers.items():
            optimizer.serialize(serializer['optimizer:' + name])
            optimizer.target.serialize(serializer['model:' + name])
        self.iteration = serializer('iteration', self.iteration)
