"""Writes the run-comparison fixtures into ../test/fixtures.

Run with Debian's python3 (torch 1.13, onnx 1.12):

    /usr/bin/python3 packages/worker/fixtures-src/make-compare-fixtures.py

- compare-a.onnx: a small seeded CNN (two 3x3 convs, ReLUs, max-pool, fc).
- compare-b.onnx: the same network with only conv2's weights perturbed: a
  second checkpoint whose weights changed on one layer alone.
- compare-qdq.onnx: an int8 QDQ copy of compare-a, written with the `onnx`
  package (ONNX Runtime's quantisation tools are not installable here): every
  conv and fc weight as an int8 initializer through DequantizeLinear
  (symmetric, per tensor), and every conv and fc input through a
  QuantizeLinear/DequantizeLinear pair (uint8, range calibrated on input x1).
  The original nodes keep their names, so a compare with compare-a matches them.
- compare-reference.json: two inputs, and numpy's per-layer cosine, relative
  L2 and mean |A-B| between PyTorch's activations (batch item 0) of (a, x1)
  and (a, x2), and of (a, x1) and (b, x1): over the float values, and over
  the same values as the server stores them (each channel quantised to 8
  bits over its own range, as the worker's quantizeInto does), which is what
  a compare reads; each weight's relative change from a to b; and each conv
  and fc's weight change (weight and bias together) from a to its QDQ copy.
"""
import json
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper, TensorProto

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(8 * 8 * 8, 10)

    def forward(self, x):
        return self.fc(self.flatten(self.pool(self.relu2(self.conv2(self.relu1(self.conv1(x)))))))


MODULES = ['conv1', 'relu1', 'conv2', 'relu2', 'pool', 'flatten', 'fc']


def export(net, x, name):
    path = os.path.join(OUT, f'{name}.onnx')
    torch.onnx.export(net, x, path, opset_version=13, input_names=['input'], output_names=['logits'])
    onnx.checker.check_model(onnx.load(path))
    return path


def activations(net, x):
    outputs = {}
    hooks = [m.register_forward_hook(lambda _m, _i, o, n=n: outputs.__setitem__(n, o.detach().double().numpy()[0]))
             for n, m in net.named_modules() if n in MODULES]
    with torch.no_grad():
        net(x)
    for h in hooks:
        h.remove()
    return outputs


def node_of(graph, module):
    """The ONNX node holding a module's output: the last node in its name scope."""
    prefix = f'/{module}/'
    return [n for n in graph.node if n.name.startswith(prefix)][-1].name


def metrics(a, b):
    a = a.reshape(-1)
    b = b.reshape(-1)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    return {
        'cosine': float(a @ b / (na * nb)) if na > 0 and nb > 0 else None,
        'relL2': float(np.linalg.norm(a - b) / na) if na > 0 else None,
        'meanAbsDiff': float(np.abs(a - b).mean()),
    }


def stored(x):
    """Batch item 0's activations as an 8-bit feature map holds them: per channel (one for 1-D), dequantised.

    The server keeps a 1-D output of up to 4096 finite values exactly (a range per value); the
    test reads the float figures for those layers, so these stay as they were recorded.
    """
    chans = x.reshape(1, -1) if x.ndim <= 1 else x.reshape(x.shape[0], -1)
    out = np.empty_like(chans)
    for c, v in enumerate(chans):
        v32 = v.astype(np.float32)
        lo, hi = np.float32(v32.min()), np.float32(v32.max())
        scale = np.float32(255) / (hi - lo) if hi > lo else np.float32(0)
        q = np.clip(np.floor((v32 - lo) * scale + np.float32(0.5)), 0, 255)
        out[c] = float(lo) + q.astype(np.float64) * ((float(hi) - float(lo)) / 255)
    return out.reshape(-1)


def quantize_weight(w):
    scale = max(float(np.abs(w).max()), 1e-12) / 127
    return np.clip(np.round(w / scale), -127, 127).astype(np.int8), np.float32(scale)


def qdq_copy(path, calibration, out):
    """An int8 QDQ copy of the model at `path`; `calibration` maps each quantised input tensor to its float range.

    Returns, per conv and fc node, numpy's relative L2 change of its weight and bias together
    from the fp32 model to the copy (the bias stays float)."""
    model = onnx.load(path)
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    nodes = []
    replaced = set()
    weight_change = {}
    for n in g.node:
        if n.op_type in ('Conv', 'Gemm'):
            x, w = n.input[0], n.input[1]
            lo, hi = calibration[x]
            lo, hi = min(lo, 0.0), max(hi, 0.0)
            scale = np.float32((hi - lo) / 255 or 1.0)
            zero = np.uint8(np.clip(round(-lo / float(scale)), 0, 255))
            base = f'{n.name}_qdq'
            g.initializer.extend([numpy_helper.from_array(np.array(scale, np.float32), f'{base}_x_scale'),
                                  numpy_helper.from_array(np.array(zero, np.uint8), f'{base}_x_zero')])
            nodes.append(helper.make_node('QuantizeLinear', [x, f'{base}_x_scale', f'{base}_x_zero'], [f'{base}_xq'], name=f'{base}/QuantizeLinear'))
            nodes.append(helper.make_node('DequantizeLinear', [f'{base}_xq', f'{base}_x_scale', f'{base}_x_zero'], [f'{base}_xdq'], name=f'{base}/DequantizeLinear'))
            wf = numpy_helper.to_array(inits[w]).astype(np.float64)
            q, ws = quantize_weight(numpy_helper.to_array(inits[w]))
            bias = numpy_helper.to_array(inits[n.input[2]]).astype(np.float64).reshape(-1) if len(n.input) > 2 else np.zeros(0)
            before = np.concatenate([wf.reshape(-1), bias])
            after = np.concatenate([q.astype(np.float64).reshape(-1) * float(ws), bias])
            weight_change[n.name] = float(np.linalg.norm(before - after) / np.linalg.norm(before))
            g.initializer.extend([numpy_helper.from_array(q, f'{w}_int8'), numpy_helper.from_array(np.array(ws, np.float32), f'{w}_scale'),
                                  numpy_helper.from_array(np.array(0, np.int8), f'{w}_zero')])
            nodes.append(helper.make_node('DequantizeLinear', [f'{w}_int8', f'{w}_scale', f'{w}_zero'], [f'{w}_dq'], name=f'{base}/DequantizeWeight'))
            n.input[0] = f'{base}_xdq'
            n.input[1] = f'{w}_dq'
            replaced.add(w)
        nodes.append(n)
    del g.node[:]
    g.node.extend(nodes)
    kept = [t for t in g.initializer if t.name not in replaced]
    del g.initializer[:]
    g.initializer.extend(kept)
    onnx.checker.check_model(model)
    onnx.save(model, out)
    return weight_change


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(20)
    torch.manual_seed(20)
    net_a = SmallNet().eval()
    x1 = torch.randn(1, 3, 16, 16, generator=gen)
    x2 = x1 + 0.5 * torch.randn(1, 3, 16, 16, generator=gen)
    path_a = export(net_a, x1, 'compare-a')

    net_b = SmallNet().eval()
    net_b.load_state_dict(net_a.state_dict())
    with torch.no_grad():
        net_b.conv2.weight.add_(0.05 * torch.randn(net_b.conv2.weight.shape, generator=gen))
    export(net_b, x1, 'compare-b')

    # Calibrate the QDQ copy's activation ranges on x1: the input of each conv and fc.
    acts = activations(net_a, x1)
    graph = onnx.load(path_a).graph
    calibration = {'input': (float(x1.min()), float(x1.max()))}
    for module in ('relu1', 'flatten'):  # the inputs of conv2 and fc
        tensor = [n for n in graph.node if n.name == node_of(graph, module)][0].output[0]
        calibration[tensor] = (float(acts[module].min()), float(acts[module].max()))
    qdq_weights = qdq_copy(path_a, calibration, os.path.join(OUT, 'compare-qdq.onnx'))

    a1, a2, b1 = activations(net_a, x1), activations(net_a, x2), activations(net_b, x1)
    layers = []
    for m in MODULES:
        layers.append({'module': m, 'node': node_of(graph, m), 'shape': list(a1[m].shape),
                       'inputs': metrics(a1[m], a2[m]), 'checkpoints': metrics(a1[m], b1[m]),
                       'inputs8': metrics(stored(a1[m]), stored(a2[m])), 'checkpoints8': metrics(stored(a1[m]), stored(b1[m]))})
    weights = {}
    for name, wa in net_a.state_dict().items():
        wa = wa.double().numpy()
        wb = net_b.state_dict()[name].double().numpy()
        weights[name] = float(np.linalg.norm(wa - wb) / np.linalg.norm(wa))
    data = {'x1': {'shape': list(x1.shape), 'data': x1.reshape(-1).tolist()},
            'x2': {'shape': list(x2.shape), 'data': x2.reshape(-1).tolist()},
            'layers': layers, 'weights': weights, 'qdqWeights': qdq_weights}
    with open(os.path.join(OUT, 'compare-reference.json'), 'w') as f:
        json.dump(data, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
