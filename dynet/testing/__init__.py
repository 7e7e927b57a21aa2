"""Testing utilities, compatible with ``chainer.testing``."""
from dynet.testing import array  # NOQA
from dynet.testing import attr  # NOQA
from dynet.testing import condition  # NOQA
from dynet.testing import helper  # NOQA
from dynet.testing import parameterized  # NOQA
from dynet.testing import random  # NOQA

from dynet.testing.array import assert_allclose  # NOQA
from dynet.testing.backend import BackendConfig  # NOQA
from dynet.testing.backend import inject_backend_tests  # NOQA
from dynet.testing.function_link import FunctionTestCase  # NOQA
from dynet.testing.function_link import FunctionTestError  # NOQA
from dynet.testing.helper import assert_warns  # NOQA
from dynet.testing.helper import patch  # NOQA
from dynet.testing.helper import with_requires  # NOQA
from dynet.testing.helper import without_requires  # NOQA
from dynet.testing.parameterized import from_pytest_parameterize  # NOQA
from dynet.testing.parameterized import parameterize  # NOQA
from dynet.testing.parameterized import parameterize_pytest  # NOQA
from dynet.testing.parameterized import product  # NOQA
from dynet.testing.parameterized import product_dict  # NOQA
from dynet.testing.random import fix_random  # NOQA
from dynet.testing.random import generate_seed  # NOQA
from dynet.testing.serializer import save_and_load  # NOQA
from dynet.testing.serializer import save_and_load_hdf5  # NOQA
from dynet.testing.serializer import save_and_load_npz  # NOQA
