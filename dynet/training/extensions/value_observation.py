"""observe_value and observe_lr: put a value into the observation."""
from dynet.training import extension


def observe_value(observation_key, target_func):
    """Returns an extension that stores ``target_func(trainer)`` in the
    observation under ``observation_key`` (by default once an epoch, before
    the readers such as LogReport run).

    Args:
        observation_key (str): key in the observation.
        target_func: called with the trainer; returns the value.
    """
    @extension.make_extension(trigger=(1, 'epoch'),
                              priority=extension.PRIORITY_WRITER)
    def _observe_value(trainer):
        trainer.observation[observation_key] = target_func(trainer)
    return _observe_value


def observe_lr(optimizer_name='main', observation_key='lr'):
    """Returns an extension that records the learning rate (``lr``) of the
    optimizer ``optimizer_name`` under ``observation_key``."""
    return observe_value(
        observation_key,
        lambda trainer: trainer.updater.get_optimizer(optimizer_name).lr)
