"""Model inputs as the server takes them: float32 tensor bytes with a shape, or a PNG/JPEG file."""
import os

import numpy as np

from .errors import bad_request

_PNG = b'\x89PNG\r\n\x1a\n'
_JPEG = b'\xff\xd8\xff'


class Input:
    """What a run sends: the bytes, and the shape for a tensor (None for an encoded image)."""

    def __init__(self, data, shape=None, mime='application/octet-stream'):
        self.data = data
        self.shape = shape
        self.mime = mime


def _image(data, where):
    if data.startswith(_PNG):
        return Input(data, mime='image/png')
    if data.startswith(_JPEG):
        return Input(data, mime='image/jpeg')
    raise bad_request(f'input: {where} is neither a PNG nor a JPEG file')


def as_array(value):
    """A tensor or array-like as a C-ordered float32 numpy array."""
    if hasattr(value, 'detach') and hasattr(value, 'cpu'):  # a torch tensor, without importing torch
        value = value.detach().cpu().float().numpy()
    return np.ascontiguousarray(np.asarray(value, dtype='<f4'))


def describe_input(value):
    """``value`` as an :class:`Input`: an image file path, PNG/JPEG bytes, or a tensor / numpy array (sent as float32)."""
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if not os.path.isfile(path):
            raise bad_request(f'input: no such file: {path}')
        with open(path, 'rb') as f:
            return _image(f.read(), path)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _image(bytes(value), 'the bytes')
    arr = as_array(value)
    if arr.ndim == 0:
        raise bad_request('input: must have at least one dimension')
    return Input(arr.tobytes(), list(arr.shape))
