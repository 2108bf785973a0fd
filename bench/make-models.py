"""Writes the benchmark's models into bench/.models (gitignored, never committed).

Run with Debian's python3 (torch 1.13):

    /usr/bin/python3 bench/make-models.py [out-dir]

- resnet18.onnx: a ResNet-18 (torchvision's if installed, else the same
  architecture written here in plain torch), batch 1, 3x224x224, opset 13,
  seeded random weights (~45 MB).
- mobilenetv2.onnx, squeezenet1_1.onnx (3x224x224) and densenet121.onnx
  (3x128x128): the other torchvision architectures of the feature-maps table,
  made the same way (bench/torch-hooks.py builds the same modules, same seed).
- wide-100mb.onnx: a small conv stem and a 5000x5000 fully connected layer,
  ~100 MB of weights, for the parse and session-creation figure.
Files that exist are kept.
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'packages', 'worker', 'fixtures-src'))
from torchvision_nets import densenet121, mobilenet_v2, resnet18, squeezenet1_1  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '.models')


class Wide(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(5000, 5000)

    def forward(self, x):
        y = self.relu(self.conv(x))
        return self.fc(torch.flatten(y, 1)[:, :5000])


# (file name, constructor, input size): shared with bench/torch-hooks.py.
TORCHVISION = [('resnet18', resnet18, 224), ('mobilenetv2', mobilenet_v2, 224), ('densenet121', densenet121, 128), ('squeezenet1_1', squeezenet1_1, 224)]


def export(model, shape, name):
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        print(f'{path}: kept')
        return
    model.eval()
    tmp = path + '.tmp'
    torch.onnx.export(model, torch.randn(*shape), tmp, opset_version=13, input_names=['input'], output_names=['output'])
    os.replace(tmp, path)
    print(f'{path}: {os.path.getsize(path) / 1e6:.1f} MB')


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    for name, make, size in TORCHVISION:
        torch.manual_seed(0)
        export(make(), (1, 3, size, size), f'{name}.onnx')
    export(Wide(), (1, 1, 28, 28), 'wide-100mb.onnx')
