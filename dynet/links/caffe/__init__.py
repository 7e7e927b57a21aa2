"""Caffe model support: :class:`CaffeFunction` loads a ``.caffemodel``.

``dynet.links.caffe.writer`` writes small ``.caffemodel`` files from a
Python description; it is a tool for tests and fixtures.
"""
from dynet.links.caffe import writer  # NOQA
from dynet.links.caffe.caffe_function import CaffeFunction  # NOQA

__all__ = ['CaffeFunction']
