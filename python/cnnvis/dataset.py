"""A dataset's inputs, one at a time, as the multipart body of ``POST /api/dataset-stats``: a ``request``
part, then one ``input`` part per input, generated as the upload goes so a large dataset is never held."""
import json
import os
import secrets

from .errors import bad_request
from .inputs import as_array, describe_input

IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg')


def _folder(path):
    names = sorted(n for n in os.listdir(path) if n.lower().endswith(IMAGE_SUFFIXES))
    if not names:
        raise bad_request(f'inputs: no PNG or JPEG file in the folder {path}')
    return [os.path.join(path, n) for n in names]


def _items(inputs):
    """Every input: a path or bytes as they are, a tensor or array split along axis 0 (a batch) into batch-1 arrays."""
    if isinstance(inputs, (str, os.PathLike)):
        path = os.fspath(inputs)
        inputs = _folder(path) if os.path.isdir(path) else [path]
    elif hasattr(inputs, 'shape'):
        inputs = [inputs]
    for item in inputs:
        if isinstance(item, (tuple, list)) and item:
            item = item[0]  # a (inputs, labels) batch, as a DataLoader yields
        if isinstance(item, (str, os.PathLike, bytes, bytearray, memoryview)):
            yield item
            continue
        arr = as_array(item)
        if arr.ndim == 0:
            raise bad_request('inputs: a tensor item must have at least one dimension')
        for i in range(arr.shape[0]):
            yield arr[i:i + 1]


def dataset_inputs(inputs):
    """``(first, shape, all)``: the first input as given (a batch-1 array a torch module can be exported on), the
    tensors' shape (None for images), and every input as an ``Input``, each checked against the first as it comes."""
    items = _items(inputs)
    try:
        first_item = next(items)
    except StopIteration:
        raise bad_request('inputs: give at least one input') from None
    first = describe_input(first_item)

    def all_inputs():
        yield first
        for i, item in enumerate(items, start=1):
            inp = describe_input(item)
            if inp.shape != first.shape:
                got, want = (('an image' if s is None else f'shape {s}') for s in (inp.shape, first.shape))
                raise bad_request(f'inputs[{i}]: {got}, but input 0 is {want}: every input needs the same kind and shape')
            yield inp

    return first_item, first.shape, all_inputs()


def multipart_body(request, inputs, boundary=None):
    """``(content_type, chunks)``: the ``request`` part, then each input's part, produced lazily."""
    boundary = boundary or secrets.token_hex(16)

    def chunks():
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="request"\r\n'
               f'Content-Type: application/json\r\n\r\n{json.dumps(request)}\r\n').encode()
        for i, inp in enumerate(inputs):
            yield (f'--{boundary}\r\nContent-Disposition: form-data; name="input"; filename="input-{i}"\r\n'
                   f'Content-Type: {inp.mime}\r\n\r\n').encode()
            yield inp.data
            yield b'\r\n'
        yield f'--{boundary}--\r\n'.encode()

    return f'multipart/form-data; boundary={boundary}', chunks()
