"""cnnvis from Python: feature maps, layer graphs and filters of PyTorch and ONNX models on a cnnvis server.

    from cnnvis import CnnVis
    viz = CnnVis('http://127.0.0.1:8097', env='main')
    print(viz.feature_maps(model, x, step=epoch).format())

Needs only ``requests`` and ``numpy``; PyTorch is used when a ``torch.nn.Module`` is passed.
"""
from .client import CnnVis
from .errors import CnnvisError
from .results import Compare, FeatureMaps, Filters, Window

__all__ = ['CnnVis', 'CnnvisError', 'Compare', 'FeatureMaps', 'Filters', 'Window']
__version__ = '0.1.0'
