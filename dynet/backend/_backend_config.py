"""``BackendConfig``: one backend configuration of a test (where arrays
live, which config values apply), as used by ``dynet.testing``."""
from dynet.backend import _cupy
from dynet.backend._device import CpuDevice, get_device
from dynet.config import using_config

_DEFAULTS = {
    'use_chainerx': False,
    'chainerx_device': None,
    'use_cuda': False,
    'cuda_device': None,
    'use_cudnn': 'never',
    'cudnn_deterministic': False,
    'autotune': False,
    'cudnn_fast_batch_normalization': False,
    'use_ideep': 'never',
}


class BackendConfig:
    """One backend configuration: where test arrays live and which config
    values are in force while a test runs (``with backend_config:``)."""

    def __init__(self, params):
        if not isinstance(params, dict):
            raise TypeError('BackendConfig: params must be a dict, got {}'
                            .format(type(params).__name__))
        unknown = set(params) - set(_DEFAULTS)
        if unknown:
            raise ValueError('BackendConfig: unknown keys {}; allowed: {}'
                             .format(sorted(unknown), sorted(_DEFAULTS)))
        values = dict(_DEFAULTS, **params)
        if values['use_chainerx'] and values['chainerx_device'] is None:
            raise ValueError('BackendConfig: use_chainerx needs '
                             'chainerx_device')
        if values['use_cuda'] and values['cuda_device'] is None:
            values['cuda_device'] = 0
        self._values = values
        self._contexts = []
        for key, value in values.items():
            setattr(self, key, value)

    @property
    def unavailable_reason(self):
        """Why this machine cannot run the configuration (None if it can)."""
        if self.use_chainerx:
            return 'ChainerX is not supported by dynet'
        if self.use_ideep != 'never':
            return 'iDeep is not supported by dynet'
        if self.use_cuda:
            cupy = _cupy.cupy_or_none()
            if cupy is None:
                return 'CuPy and a GPU are not available'
            if self.cuda_device >= cupy.cuda.runtime.getDeviceCount():
                return 'GPU {} is not present'.format(self.cuda_device)
        return None

    @property
    def xp(self):
        return self.device.xp

    @property
    def device(self):
        if self.use_cuda:
            return get_device('@cupy:{}'.format(self.cuda_device))
        return CpuDevice()

    def get_array(self, np_array):
        """Sends an array (or nested tuple/list of arrays) to the device."""
        return self.device.send(np_array)

    def get_pytest_marks(self):
        import pytest
        marks = []
        if self.use_cuda:
            marks.append(pytest.mark.gpu)
            if self.use_cudnn != 'never':
                marks.append(pytest.mark.cudnn)
        return marks

    def __enter__(self):
        contexts = [using_config('use_cudnn', self.use_cudnn),
                    using_config('cudnn_deterministic',
                                 self.cudnn_deterministic),
                    using_config('autotune', self.autotune),
                    using_config('use_ideep', self.use_ideep)]
        for context in contexts:
            context.__enter__()
        self._contexts.append(contexts)
        return self

    def __exit__(self, *exc_info):
        for context in reversed(self._contexts.pop()):
            context.__exit__(*exc_info)

    def _suffix(self):
        if self.use_cuda:
            return 'cupy{}'.format(
                '_cudnn' if self.use_cudnn != 'never' else '')
        if self.use_chainerx:
            return 'chainerx'
        return 'numpy'

    def __repr__(self):
        changed = ', '.join('{}={!r}'.format(k, v) for k, v in
                            sorted(self._values.items())
                            if v != _DEFAULTS[k])
        return '<BackendConfig {}>'.format(changed or 'numpy')
