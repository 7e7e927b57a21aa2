"""Image-recognition models (``chainer.links.model.vision``): VGG, ResNet,
GoogLeNet."""
