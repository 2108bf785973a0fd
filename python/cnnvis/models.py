"""Models as the server names them: ONNX bytes and their SHA-256. A ``torch.nn.Module`` is
exported to ONNX in memory; a path is read in chunks; bytes are taken as they are."""
import hashlib
import inspect
import io
import os
import re
import sys

from .errors import bad_request

_SHA256 = re.compile(r'^[0-9a-f]{64}$')


class Model:
    """An ONNX model ready to upload: its id, size, a name, and a way to open its bytes (None when only the id is known)."""

    def __init__(self, model_id, size, name=None, open_body=None):
        self.id = model_id
        self.size = size
        self.name = name
        self.open_body = open_body


def is_torch_module(obj):
    """Whether ``obj`` is a ``torch.nn.Module``, without importing torch for callers that never did."""
    torch = sys.modules.get('torch')
    return torch is not None and isinstance(obj, torch.nn.Module)


def _max_opset(torch):
    # The newest opset this torch's exporter writes (ONNX Runtime reads them all); its default where it names none.
    constants = getattr(torch.onnx, '_constants', None)
    return getattr(constants, 'ONNX_MAX_OPSET', None) or getattr(constants, 'ONNX_DEFAULT_OPSET', 13)


def export_onnx(module, example):
    """A module's ONNX bytes, traced on ``example`` (a tensor) in eval mode with a dynamic batch axis, as the server's worker will run it."""
    import torch

    buf = io.BytesIO()
    # A dynamic batch axis lets the server batch a dataset's inputs or an attribution's perturbed copies.
    kwargs = {'opset_version': _max_opset(torch), 'input_names': ['input'], 'output_names': ['output'],
              'dynamic_axes': {'input': {0: 'batch'}, 'output': {0: 'batch'}}}
    # Newer torch defaults to the dynamo exporter, which needs onnxscript; the TorchScript one needs nothing more.
    if 'dynamo' in inspect.signature(torch.onnx.export).parameters:
        kwargs['dynamo'] = False
    training = module.training
    try:
        module.eval()
        with torch.no_grad():
            torch.onnx.export(module, (example,), buf, **kwargs)
    finally:
        module.train(training)
    return buf.getvalue()


def _of_bytes(data, name=None):
    data = bytes(data)
    return Model(hashlib.sha256(data).hexdigest(), len(data), name, lambda: data)


def _of_path(path):
    h = hashlib.sha256()
    size = 0
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
            size += len(chunk)
    return Model(h.hexdigest(), size, os.path.basename(path), lambda: open(path, 'rb'))


def describe_model(model, example=None):
    """``model`` as a :class:`Model`: a torch module (traced on ``example``), an ONNX file path, ONNX bytes, or a model id."""
    if is_torch_module(model):
        if example is None:
            raise bad_request('model: a torch module is exported to ONNX on an example input; pass input= (a tensor, an array or a shape)')
        return _of_bytes(export_onnx(model, example), type(model).__name__)
    if isinstance(model, (bytes, bytearray, memoryview)):
        return _of_bytes(model)
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if os.path.isfile(path):
            return _of_path(path)
        if _SHA256.match(path):
            return Model(path, 0)
        raise bad_request(f'model: no such file: {path}')
    raise bad_request(f'model: must be a torch.nn.Module, an ONNX file path, ONNX bytes or a model id, not {type(model).__name__}')
