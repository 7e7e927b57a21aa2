"""OnceTrigger: fires once (and optionally once more after a resume)."""


class OnceTrigger:
    """Fires at its first check only.

    Args:
        call_on_resume (bool): also fire at the first check after the
            training was resumed from a snapshot.

    ``finished`` is True once it has fired (the trainer then skips the
    extension's ``initialize`` on resume).
    """

    def __init__(self, call_on_resume=False):
        self._flag_first = True
        self._flag_resumed = call_on_resume

    @property
    def finished(self):
        return not (self._flag_first or self._flag_resumed)

    def __call__(self, trainer):
        fire = not self.finished
        self._flag_first = False
        self._flag_resumed = False
        return fire

    def serialize(self, serializer):
        self._flag_first = bool(serializer('_flag_first', self._flag_first))
