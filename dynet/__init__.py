"""dynet: define-by-run deep learning."""
from dynet._version import __version__  # NOQA
