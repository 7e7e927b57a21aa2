"""Datasets. The bundled real MNIST sample is in ``mnist_sample``."""
