"""Model links (Classifier, pretrained image models)."""
from dynet.links.model.classifier import Classifier  # NOQA
from dynet.links.model.vision.googlenet import GoogLeNet  # NOQA
from dynet.links.model.vision.resnet import (  # NOQA
    ResNet101Layers, ResNet152Layers, ResNet50Layers)
from dynet.links.model.vision.vgg import VGG16Layers, VGG19Layers  # NOQA

__all__ = ['Classifier', 'GoogLeNet', 'ResNet101Layers', 'ResNet152Layers',
           'ResNet50Layers', 'VGG16Layers', 'VGG19Layers']
