"""Image-recognition models (``chainer.links.model.vision``): VGG."""
