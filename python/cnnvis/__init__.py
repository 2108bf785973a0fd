"""cnnvis from Python: feature maps, dataset statistics, attribution, layer graphs and filters of PyTorch and ONNX models on a cnnvis server.

    from cnnvis import CnnVis
    viz = CnnVis('http://127.0.0.1:8097', env='main')
    print(viz.feature_maps(model, x, step=epoch).format())
    print(viz.dataset_stats(model, loader).dead_channels())
    heatmap = viz.attribution(model, x, method='occlusion').heatmap

Needs only ``requests`` and ``numpy``; PyTorch is used when a ``torch.nn.Module`` is passed.
"""
from .client import CnnVis
from .errors import CnnvisError
from .results import Attribution, Compare, DatasetStats, FeatureMaps, Filters, Window

__all__ = ['Attribution', 'CnnVis', 'CnnvisError', 'Compare', 'DatasetStats', 'FeatureMaps', 'Filters', 'Window']
__version__ = '0.1.0'
