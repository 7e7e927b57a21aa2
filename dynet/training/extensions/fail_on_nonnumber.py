"""FailOnNonNumber: stops training when a parameter becomes NaN or Inf."""
from dynet import backend
from dynet.training import extension


class FailOnNonNumber(extension.Extension):
    """Trainer extension raising ``RuntimeError`` as soon as a parameter of
    any optimizer's target contains NaN or infinity (the training
    diverged). The message names the optimizer and the parameter.
    """

    def __call__(self, trainer):
        optimizers = trainer.updater.get_all_optimizers()
        for name, optimizer in optimizers.items():
            target = optimizer.target
            for path, param in target.namedparams():
                array = param.array
                if array is None:
                    continue
                xp = backend.get_array_module(array)
                if not bool(xp.isfinite(array).all()):
                    raise RuntimeError(
                        'FailOnNonNumber: parameter {!r} of the target of '
                        'optimizer {!r} contains NaN or Inf at iteration '
                        '{}: the training diverged; stopping.'.format(
                            path, name, trainer.updater.iteration))
