"""ParallelUpdater: synchronous data parallelism over several devices.

One process drives every device in turn. Each iteration the batch of the
'main' iterator is dealt out to the models (example ``i`` goes to model
``i % n``, in the order of the ``models`` dict), every model computes its
loss and gradients on its share, the gradients are added into the master
model (the target of the 'main' optimizer), the optimizer updates the
master, and the other models get the updated parameters.

Gradient scale (as in Chainer): the gradients of the models are *summed*,
not averaged. With a loss that is a mean over its examples and ``n``
models sharing a batch equally, the master's gradient is ``n`` times the
gradient of the same loss on the whole batch. An update therefore equals a
:class:`StandardUpdater` update on the whole batch when the optimizer is
insensitive to that factor or compensates it: divide the learning rate of
SGD-like optimizers (SGD, MomentumSGD, ...) by ``n``, or multiply the
``eps`` of Adam / AdaGrad / RMSprop by ``n`` (Adam with its default ``eps``
is already equal to rounding). Chainer does not rescale here either;
:class:`MultiprocessParallelUpdater` changes the optimizer's ``lr``/``eps``
itself.
"""
import copy as copy_module

from dynet import backend
from dynet.config import force_backprop_mode
from dynet.dataset import convert
from dynet.serializers.base import Deserializer
from dynet.training.updaters.standard_updater import StandardUpdater


class ParallelUpdater(StandardUpdater):
    """Data-parallel updater holding one model per device in one process.

    Args:
        iterator: an iterator or a dict of them ('main' is used).
        optimizer: an optimizer or a dict of them; the target of 'main' is
            the master model, the only one the optimizer updates.
        converter: ``converter(batch, device)``; called once per model on
            that model's share of the batch, with that model's device.
            ``concat_examples`` by default.
        models: dict name -> model. The master model should be one of them
            (normally under 'main'). Models given here are not moved.
        devices: dict name -> device spec ('@numpy', -1, '@cupy:0', 0,
            ...). Without ``models`` it must have a 'main' entry: the
            master model is moved to ``devices['main']`` and, for every
            other name, a deep copy of it is made on that device. With
            ``models`` it gives each model's input device (default: the
            device each model is on).
        loss_func: the loss, called on every share; default: each model
            itself.
        loss_scale: passed to every ``backward``; the optimizer divides
            the summed gradients by it before updating.
        auto_new_epoch: call ``optimizer.new_epoch(auto=True)`` when the
            iterator finishes an epoch.

    Values reported by a model other than the master appear under its name
    (e.g. 'second/loss'); 'main/loss' is the loss of the master's share
    only. See the module docstring about the scale of the gradients.
    """

    def __init__(self, iterator, optimizer, converter=convert.concat_examples,
                 models=None, devices=None, loss_func=None, loss_scale=None,
                 auto_new_epoch=True):
        super().__init__(iterator, optimizer, converter=converter,
                         loss_func=loss_func, loss_scale=loss_scale,
                         auto_new_epoch=auto_new_epoch)
        master = self._optimizers['main'].target
        if devices is not None:
            if not isinstance(devices, dict):
                raise TypeError('ParallelUpdater: devices must be a dict '
                                'name -> device, got {}'.format(
                                    type(devices).__name__))
            devices = {name: backend.get_device(spec)
                       for name, spec in devices.items()}
        if models is None:
            if devices is None:
                raise ValueError('ParallelUpdater: either models or devices '
                                 'must be specified')
            if 'main' not in devices:
                raise KeyError("ParallelUpdater: 'devices' must contain a "
                               "'main' key")
            models = {'main': master}
            for name in devices:
                if name == 'main':
                    continue
                model = copy_module.deepcopy(master)
                model.to_device(devices[name])
                models[name] = model
            master.to_device(devices['main'])
        else:
            if not isinstance(models, dict) or not models:
                raise TypeError('ParallelUpdater: models must be a non-empty '
                                'dict name -> model')
            models = dict(models)
            if devices is None:
                devices = {name: model.device
                           for name, model in models.items()}
            else:
                missing = [name for name in models if name not in devices]
                if missing:
                    raise KeyError('ParallelUpdater: no device for the '
                                   'models {}'.format(missing))
        self._models = models
        self._devices = devices
        self.loss_scale = loss_scale

    def connect_trainer(self, trainer):
        """Registers the models other than the master with the trainer's
        reporter, under their names in ``models``."""
        master = self._optimizers['main'].target
        for name, model in self._models.items():
            if model is master:
                continue
            trainer.reporter.add_observer(name, model)
            trainer.reporter.add_observers(
                name, model.namedlinks(skipself=True))

    def update_core(self):
        optimizer = self._optimizers['main']
        master = optimizer.target
        iterator = self._iterators['main']
        batch = iterator.next()

        n = len(self._models)
        shares = []
        for i, (name, model) in enumerate(self._models.items()):
            examples = batch[i::n]
            if len(examples) == 0:
                continue  # a short final batch: this model sits it out
            shares.append((name, model, convert.call_converter(
                self.converter, examples, self._devices[name])))
        # The master goes first, so that lazily initialized parameters get
        # their values there (drawn as a StandardUpdater would draw them)
        # and are copied to the other models before they run.
        shares.sort(key=lambda share: share[1] is not master)

        for model in self._models.values():
            model.cleargrads()
        losses = []
        for name, model, in_arrays in shares:
            if model is not master:
                _copy_missing_params(model, master)
            loss_func = self.loss_func or model
            with force_backprop_mode(), backend.using_device(
                    self._devices[name]):
                if isinstance(in_arrays, tuple):
                    loss = loss_func(*in_arrays)
                elif isinstance(in_arrays, dict):
                    loss = loss_func(**in_arrays)
                else:
                    loss = loss_func(in_arrays)
            losses.append(loss)

        for model in self._models.values():
            model.cleargrads()
        loss_scale = optimizer.loss_scale
        for loss in losses:
            loss.backward(loss_scale=loss_scale)
        del losses

        others = [model for model in self._models.values()
                  if model is not master]
        for model in others:
            master.addgrads(model)
        if loss_scale is not None:
            # The optimizer unscales what its own backward marked; mark the
            # summed gradients as scaled whoever computed them.
            for param in master.params():
                if param.grad is not None:
                    param._loss_scale = loss_scale

        optimizer.update()

        for model in others:
            _copy_params(model, master)

        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def serialize(self, serializer):
        super().serialize(serializer)
        if isinstance(serializer, Deserializer):
            # Loaded parameters of the master reach the other models now,
            # not only after the next update.
            master = self._optimizers['main'].target
            for model in self._models.values():
                if model is not master:
                    _copy_params(model, master)


def _copy_missing_params(dst, src):
    """Gives ``dst`` the values of the parameters that are initialized in
    ``src`` but not yet in ``dst``."""
    src_params = dict(src.namedparams())
    for name, param in dst.namedparams():
        source = src_params.get(name)
        if param.array is None and source is not None and \
                source.array is not None:
            device = getattr(param, '_initial_device', None) or \
                backend.CpuDevice()
            array = device.send(source.array)
            param.array = array.copy() if array is source.array else array


def _copy_params(dst, src):
    """``dst.copyparams(src)``, tolerating parameters that are not
    initialized yet on either side."""
    src_params = dict(src.namedparams())
    if all(p.array is not None for p in src_params.values()) and \
            all(p.array is not None for _, p in dst.namedparams()):
        dst.copyparams(src)
        return
    _copy_missing_params(dst, src)
    for name, param in dst.namedparams():
        source = src_params.get(name)
        if source is not None and source.array is not None and \
                param.array is not None:
            param.copydata(source)
