"""PrintReport: prints the entries of a LogReport as a table."""
import numbers
import sys

from dynet.training import extension
from dynet.training.extensions import log_report as log_report_module


class PrintReport(extension.Extension):
    """Trainer extension printing chosen entries of the log as a table.

    The header is printed at the first call; then one row for each entry
    the LogReport has added since. Each column is as wide as its entry
    name, at least 10 characters, columns are separated by two spaces,
    numbers are printed with the ``g`` format and missing values are left
    blank.

    Args:
        entries (list of str): keys to print, in order.
        log_report (str or LogReport): the name of a LogReport registered
            with the trainer, or a LogReport instance that this extension
            calls itself.
        out: the stream to print to.
    """

    @property
    def _out(self):
        # None means the current sys.stdout, looked up at each write (so a
        # replaced stdout, e.g. under pytest's capture, is followed).
        return sys.stdout if self._given_out is None else self._given_out

    def __init__(self, entries, log_report='LogReport', out=None):
        self._entries = list(entries)
        self._log_report = log_report
        self._given_out = out
        self._log_len = 0
        widths = [max(10, len(entry)) for entry in self._entries]
        self._columns = list(zip(self._entries, widths))
        header = '  '.join(entry.ljust(width)
                           for entry, width in self._columns)
        self._header = header + '\n'

    def _get_log_report(self, trainer):
        log_report = self._log_report
        if isinstance(log_report, str):
            return trainer.get_extension(log_report)
        if isinstance(log_report, log_report_module.LogReport):
            log_report(trainer)
            return log_report
        raise TypeError('PrintReport: log_report must be the name of a '
                        'LogReport or a LogReport, got {!r}'.format(
                            type(log_report).__name__))

    def __call__(self, trainer):
        out = self._out
        if self._header:
            out.write(self._header)
            self._header = None
        log = self._get_log_report(trainer).log
        while len(log) > self._log_len:
            # Erase what a progress bar drew below the cursor first.
            out.write('\033[J')
            self._print(log[self._log_len])
            self._log_len += 1
        if hasattr(out, 'flush'):
            out.flush()

    def _print(self, entry):
        cells = []
        for key, width in self._columns:
            if key not in entry:
                cells.append(' ' * (width + 2))
                continue
            value = entry[key]
            if isinstance(value, numbers.Number) and \
                    not isinstance(value, bool):
                text = '{:<{}g}'.format(value, width)
            else:
                text = '{:<{}}'.format(str(value), width)
            cells.append(text + '  ')
        self._out.write(''.join(cells) + '\n')

    def serialize(self, serializer):
        """Saves or loads the LogReport given as an instance (one given by
        name is saved by the trainer)."""
        if isinstance(self._log_report, log_report_module.LogReport):
            self._log_report.serialize(serializer['_log_report'])
