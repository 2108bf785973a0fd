"""Writes the attribution and dataset-statistics tests' fixtures into ../test/fixtures.

Run with Debian's python3 (torch 1.13, onnx 1.12, numpy):

    /usr/bin/python3 packages/worker/fixtures-src/make-attribution-fixtures.py

- quadrant.onnx: 1x16x16 in, 4 classes out, and the output reads only the
  input's top-left 8x8 quadrant (a Slice first), so occluding anything else
  changes nothing. Batch dimension dynamic.
- linear-cam.onnx: Conv(1->4, 3x3, stride 2, pad 1) then Flatten and Gemm to
  3 classes, nothing non-linear: a known linear structure. Batch fixed at 1
  (the sequential path). linear-cam-reference.json holds an input and
  Score-CAM's per-channel scores (the target logit of the input masked by the
  channel's upsampled, normalised map), its channel weights (their softmax, as
  pytorch-grad-cam weighs them) and its map, computed here in numpy alone (the
  conv, the bilinear upsampling, the masking and the linear layer), not by
  torch or ONNX Runtime.
- dead-clip.onnx: Conv(1->4, 3x3, pad 1) whose channel 2 has bias -100 (so
  ReLU zeroes it on every input in [0, 1]), ReLU, Clip(0, 0.5), global average
  pool and a Linear to 3 classes. Batch dimension dynamic.
  dead-clip-reference.json holds 12 inputs and, computed in numpy, each
  channel's fraction of inputs on which the ReLU output is all zero (dead)
  and the fraction of the Clip output's values at a bound (saturated).
Everything is seeded, so reruns give the same files.
"""
import json
import os

import numpy as np
import onnx
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')


class Quadrant(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, padding=1)
        self.fc = nn.Linear(3 * 8 * 8, 4)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x[:, :, :8, :8])).flatten(1))


class LinearCam(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))


class DeadClip(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        y = torch.clamp(torch.relu(self.conv(x)), 0, 0.5)
        return self.fc(y.mean(dim=(2, 3)))


def export(model, x, name, dynamic):
    path = os.path.join(OUT, f'{name}.onnx')
    axes = {'input': {0: 'batch'}, 'logits': {0: 'batch'}} if dynamic else None
    torch.onnx.export(model, x, path, opset_version=13, input_names=['input'], output_names=['logits'],
                      dynamic_axes=axes)
    onnx.checker.check_model(onnx.load(path))
    return path


def np_conv(x, w, b, stride, pad):
    """x [C,H,W], w [O,C,k,k]: a plain cross-correlation."""
    c, h, wd = x.shape
    o, _, k, _ = w.shape
    xp = np.zeros((c, h + 2 * pad, wd + 2 * pad))
    xp[:, pad:pad + h, pad:pad + wd] = x
    oh = (h + 2 * pad - k) // stride + 1
    ow = (wd + 2 * pad - k) // stride + 1
    out = np.zeros((o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * stride:i * stride + k, j * stride:j * stride + k]
            out[:, i, j] = (w * patch).sum(axis=(1, 2, 3)) + b
    return out


def np_upsample(a, h, w):
    """Bilinear resize of a [h0,w0] map to [h,w], half-pixel centres (align_corners=False)."""
    h0, w0 = a.shape

    def coords(n_out, n_in):
        src = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0)
        i0 = np.minimum(np.floor(src).astype(int), n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, src - i0

    y0, y1, fy = coords(h, h0)
    x0, x1, fx = coords(w, w0)
    top = a[y0][:, x0] * (1 - fx) + a[y0][:, x1] * fx
    bottom = a[y1][:, x0] * (1 - fx) + a[y1][:, x1] * fx
    return top * (1 - fy[:, None]) + bottom * fy[:, None]


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(22)

    torch.manual_seed(22)
    export(Quadrant().eval(), torch.randn(1, 1, 16, 16, generator=gen), 'quadrant', True)

    torch.manual_seed(23)
    net = LinearCam().eval()
    x = torch.randn(1, 1, 8, 8, generator=gen)
    export(net, x, 'linear-cam', False)

    xn = x[0].double().numpy()
    w = net.conv.weight.detach().double().numpy()
    b = net.conv.bias.detach().double().numpy()
    fw = net.fc.weight.detach().double().numpy()
    fb = net.fc.bias.detach().double().numpy()
    logits = lambda inp: fw @ np_conv(inp, w, b, 2, 1).reshape(-1) + fb  # noqa: E731
    base = logits(xn)
    with torch.no_grad():
        assert np.allclose(base, net(x)[0].double().numpy(), atol=1e-5), 'numpy forward disagrees with torch'
    target = int(np.argmax(base))
    acts = np_conv(xn, w, b, 2, 1)
    scores = []
    for a in acts:
        up = np_upsample(a, 8, 8)
        with torch.no_grad():
            ref = torch.nn.functional.interpolate(torch.from_numpy(a)[None, None], size=(8, 8), mode='bilinear',
                                                  align_corners=False)[0, 0].numpy()
        assert np.allclose(up, ref, atol=1e-9), 'numpy upsampling disagrees with torch'
        lo, hi = up.min(), up.max()
        mask = (up - lo) / (hi - lo) if hi > lo else np.zeros_like(up)
        scores.append(logits(xn * mask)[target])
    scores = np.array(scores)
    weights = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    cam = np.maximum(np_upsample(np.tensordot(np.array(weights), acts, axes=1), 8, 8), 0)
    ref = {
        'input': {'shape': list(x.shape), 'data': x.reshape(-1).tolist()},
        'layer': '/conv/Conv',
        'target': target,
        'score': float(base[target]),
        'scores': [float(v) for v in scores],
        'weights': [float(v) for v in weights],
        'cam': cam.reshape(-1).tolist(),
    }
    with open(os.path.join(OUT, 'linear-cam-reference.json'), 'w') as f:
        json.dump(ref, f, separators=(',', ':'))

    torch.manual_seed(24)
    net = DeadClip().eval()
    with torch.no_grad():
        net.conv.bias[2] = -100.0
    xs = torch.rand(12, 1, 8, 8, generator=gen)
    path = export(net, xs[:1], 'dead-clip', True)
    graph = onnx.load(path).graph
    tensor = lambda op: next(n.output[0] for n in graph.node if n.op_type == op)  # noqa: E731
    w = net.conv.weight.detach().double().numpy()
    b = net.conv.bias.detach().double().numpy()
    relu = np.stack([np.maximum(np_conv(x.double().numpy(), w, b, 1, 1), 0) for x in xs])
    clip = np.clip(relu, 0, 0.5)
    ref = {
        'inputs': {'shape': [1, 1, 8, 8], 'data': [x.reshape(-1).tolist() for x in xs]},
        'relu': {'tensor': tensor('Relu'), 'dead': (relu == 0).all(axis=(2, 3)).mean(axis=0).tolist()},
        'clip': {'tensor': tensor('Clip'), 'bounds': [0, 0.5],
                 'saturated': ((clip <= 0) | (clip >= 0.5)).mean(axis=(0, 2, 3)).tolist(),
                 'mean': clip.mean(axis=(0, 2, 3)).tolist()},
    }
    with open(os.path.join(OUT, 'dead-clip-reference.json'), 'w') as f:
        json.dump(ref, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
