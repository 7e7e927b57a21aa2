"""Installs the ``dynet`` package.

The distribution is named ``dynet-autograd`` because the PyPI name ``dynet``
belongs to CMU's unrelated DyNet, which uses the same import name: the two
cannot be installed in one environment.
"""
import os

from setuptools import find_packages, setup

here = os.path.dirname(os.path.abspath(__file__))


def read_version():
    namespace = {}
    with open(os.path.join(here, 'dynet', '_version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='dynet-autograd',
    version=read_version(),
    description='Define-by-run deep learning in Python, compatible with '
                'Chainer v7 programs',
    long_description=open(os.path.join(here, 'README.md')).read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['dynet', 'dynet.*']),
    package_data={'dynet': ['datasets/data/mnist_sample/*']},
    python_requires='>=3.9',
    install_requires=['numpy>=1.21', 'pillow', 'h5py'],
    extras_require={
        'gpu': ['cupy'],
        'plot': ['matplotlib'],
        'special': ['scipy'],
        'onnx': ['onnx', 'onnxruntime'],
        'mpi': ['mpi4py'],
        # mpi4py stays out of 'test': where no wheel fits it must be built
        # against an MPI library; the distributed tests skip without it.
        'test': ['pytest>=7', 'pytest-xdist', 'scipy', 'matplotlib', 'onnx',
                 'onnxruntime'],
    },
    license='MIT',
)
