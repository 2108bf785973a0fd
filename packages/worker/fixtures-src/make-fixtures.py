"""Writes the worker's test fixtures into ../test/fixtures.

Run with Debian's python3 (torch 1.13, onnx 1.12):

    /usr/bin/python3 packages/worker/fixtures-src/make-fixtures.py

For each model it exports ONNX files and a `<name>-reference.json` that holds
the input and, for every hooked module, the ONNX tensor that carries its
output plus PyTorch's own statistics and sample values of that output. The
tests compare the worker's per-layer results against these: PyTorch is the
independent reference. Everything is seeded, so reruns give the same files. resnet18-small.onnx and
mobilenetv2-small.onnx (torchvision's architectures, narrow, 3x64x64, random
weights) come without a reference: they are there for their graphs.
"""
import json
import math
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(__file__))
from models import ConvNet, ResidualNet, ShapeNet, randomize_batchnorm  # noqa: E402
from torchvision_nets import MobileNetV2, ResNet18  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
SAMPLES = 12


def stats(t):
    t = t.double()
    return {
        'min': t.min().item(),
        'max': t.max().item(),
        'mean': t.mean().item(),
        'std': t.std(unbiased=False).item(),
        'zeros': (t == 0).double().mean().item(),
    }


def describe(t):
    flat = t.reshape(-1)
    n = flat.numel()
    idx = sorted({i * (n - 1) // (SAMPLES - 1) for i in range(SAMPLES)})
    out = {'shape': list(t.shape), 'stats': stats(t), 'samples': [[i, flat[i].item()] for i in idx]}
    if t.dim() == 4:
        out['channels'] = [stats(t[:, c]) for c in range(t.shape[1])]
    return out


def tensor_of_module(graph, qname):
    """The ONNX tensor holding a module's output: the last node in its name scope."""
    prefix = '/' + qname.replace('.', '/') + '/'
    nodes = [n for n in graph.node if n.name.startswith(prefix)]
    if not nodes:
        raise SystemExit(f'no ONNX node in scope {prefix}: {[n.name for n in graph.node]}')
    return nodes[-1].output[0]


def record(model, x, onnx_path, modules):
    outputs = {}
    hooks = [
        m.register_forward_hook(lambda _m, _i, o, name=name: outputs.__setitem__(name, o.detach().clone()))
        for name, m in model.named_modules()
        if name in modules
    ]
    with torch.no_grad():
        y = model(x)
    for h in hooks:
        h.remove()
    graph = onnx.load(onnx_path).graph
    layers = [{'module': name, 'tensor': tensor_of_module(graph, name), **describe(outputs[name])} for name in modules]
    return {'input': {'shape': list(x.shape), 'data': x.reshape(-1).tolist()}, 'output': describe(y), 'layers': layers}


def export(model, x, name, opset, **kw):
    path = os.path.join(OUT, f'{name}.onnx')
    torch.onnx.export(
        model, x, path, opset_version=opset, input_names=['input'], output_names=['logits'],
        dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, **kw,
    )
    onnx.checker.check_model(onnx.load(path))
    return path


def write_json(name, data):
    with open(os.path.join(OUT, f'{name}-reference.json'), 'w') as f:
        json.dump(data, f, separators=(',', ':'))


def synthetic_digit(n):
    """A 28x28 pattern: a ring plus a diagonal bar, values in [0, 1], one per batch item."""
    ys, xs = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing='ij')
    r = ((xs - 14) ** 2 + (ys - 14) ** 2).sqrt()
    ring = torch.exp(-((r - 8) ** 2) / 4)
    bar = torch.exp(-((xs - ys) ** 2) / 3)
    img = torch.clamp(ring + 0.5 * bar, 0, 1)
    return torch.stack([img * (1 - 0.3 * i) for i in range(n)]).unsqueeze(1)


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(3)

    torch.manual_seed(1)
    net = ResidualNet()
    randomize_batchnorm(net, gen)
    net.eval()
    dummy = torch.randn(1, 3, 16, 16, generator=gen)
    for opset in (13, 17):
        path = export(net, dummy, f'residual-opset{opset}', opset)
    # Batch 2, while the export used batch 1: the dynamic axis must work.
    x = torch.randn(2, 3, 16, 16, generator=gen)
    modules = ['stem', 'stem_act', 'block1.dw', 'block1.pw', 'block1.act', 'block1.add', 'block1.bn',
               'branch', 'cat', 'bn2', 'act2', 'pool', 'flatten', 'fc']
    write_json('residual', record(net, x, path, modules))

    torch.manual_seed(2)
    shape_net = ShapeNet().eval()
    path = export(shape_net, torch.randn(1, 1, 8, 8, generator=gen), 'shape-arith', 13,
                  keep_initializers_as_inputs=True)
    write_json('shape-arith', record(shape_net, torch.randn(2, 1, 8, 8, generator=gen), path, ['conv', 'act', 'fc']))

    # torchvision-shaped nets at 64x64 and reduced width, exported as torchvision's are (opset 13,
    # BatchNorm folded into convs, equal zero biases deduplicated into Identity nodes; MobileNetV2's
    # ReLU6 as Clip with Constant bounds): the weight-only nodes the graph must fold away.
    torch.manual_seed(4)
    export(ResNet18(width=8).eval(), torch.randn(1, 3, 64, 64, generator=gen), 'resnet18-small', 13)
    torch.manual_seed(5)
    export(MobileNetV2(width_mult=0.25, last_channel=128).eval(), torch.randn(1, 3, 64, 64, generator=gen),
           'mobilenetv2-small', 13)

    torch.manual_seed(0)
    convnet = ConvNet().eval()
    path = export(convnet, synthetic_digit(1), 'convnet', 17)
    write_json('convnet', record(convnet, synthetic_digit(1), path,
                                 ['conv1', 'relu1', 'pool', 'flatten', 'fc1', 'relu2', 'fc2']))


if __name__ == '__main__':
    main()
