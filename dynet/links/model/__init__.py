"""Model links (Classifier, ...)."""
from dynet.links.model.classifier import Classifier  # NOQA
from dynet.links.model.vision.vgg import VGG16Layers, VGG19Layers  # NOQA

__all__ = ['Classifier', 'VGG16Layers', 'VGG19Layers']
