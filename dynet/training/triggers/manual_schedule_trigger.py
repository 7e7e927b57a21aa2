"""ManualScheduleTrigger: fires at given iterations or epochs."""
import numbers


class ManualScheduleTrigger:
    """Fires when the training passes one of the given points.

    Args:
        points (int, float or list of them): iterations or epochs at which
            to fire.
        unit (str): 'iteration' or 'epoch'.

    A point fires at the first check at or after it (a fractional epoch
    point fires in the iteration that crosses it), once. ``finished``
    becomes True when every point has passed.
    """

    def __init__(self, points, unit):
        if unit not in ('iteration', 'epoch'):
            raise ValueError("ManualScheduleTrigger: unit must be "
                             "'iteration' or 'epoch', got {!r}".format(unit))
        if isinstance(points, numbers.Number):
            points = [points]
        points = list(points)
        if not points:
            raise ValueError('ManualScheduleTrigger: no point given')
        self.points = points
        self.unit = unit
        self.finished = False
        # Position at the previous check; None until the first check (the
        # updater's previous position is used then).
        self._previous_iteration = None
        self._previous_epoch_detail = None

    def __call__(self, trainer):
        updater = trainer.updater
        iteration = updater.iteration
        epoch_detail = updater.epoch_detail
        if self.unit == 'epoch':
            previous = self._previous_epoch_detail
            if previous is None:
                previous = updater.previous_epoch_detail
                if previous is None:
                    previous = 0.0
            current = epoch_detail
        else:
            previous = self._previous_iteration
            if previous is None:
                previous = iteration - 1
            current = iteration
        fire = any(previous < point <= current for point in self.points)
        if current >= max(self.points):
            self.finished = True
        self._previous_iteration = iteration
        self._previous_epoch_detail = epoch_detail
        return fire

    def serialize(self, serializer):
        previous_iteration = serializer(
            'previous_iteration',
            -1 if self._previous_iteration is None
            else self._previous_iteration)
        previous_epoch_detail = serializer(
            'previous_epoch_detail',
            -1.0 if self._previous_epoch_detail is None
            else self._previous_epoch_detail)
        self._previous_iteration = None if previous_iteration < 0 \
            else int(previous_iteration)
        self._previous_epoch_detail = None if previous_epoch_detail < 0 \
            else float(previous_epoch_detail)
        self.finished = bool(serializer('finished', self.finished))

    def __str__(self):
        return '{}({!r}, {!r})'.format(type(self).__name__, self.points,
                                       self.unit)
