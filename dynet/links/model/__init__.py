"""Model links (Classifier, ...)."""
from dynet.links.model.classifier import Classifier  # NOQA

__all__ = ['Classifier']
