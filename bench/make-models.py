"""Writes the benchmark's models into bench/.models (gitignored, never committed).

Run with Debian's python3 (torch 1.13):

    /usr/bin/python3 bench/make-models.py [out-dir]

- resnet18.onnx: a ResNet-18 (torchvision's if installed, else the same
  architecture written here in plain torch), batch 1, 3x224x224, opset 13,
  seeded random weights (~45 MB).
- wide-100mb.onnx: a small conv stem and a 5000x5000 fully connected layer,
  ~100 MB of weights, for the parse and session-creation figure.
Files that exist are kept.
"""
import os
import sys

import torch
from torch import nn

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '.models')


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class ResNet18(nn.Module):
    """torchvision.models.resnet18's architecture and module names."""

    def __init__(self, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        widths = [64, 128, 256, 512]
        cin = 64
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            setattr(self, f'layer{i + 1}', nn.Sequential(BasicBlock(cin, w, stride), BasicBlock(w, w, 1)))
            cin = w
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class Wide(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.relu = nn.ReLU()
        self.fc = nn.Linear(5000, 5000)

    def forward(self, x):
        y = self.relu(self.conv(x))
        return self.fc(torch.flatten(y, 1)[:, :5000])


def resnet18():
    try:
        import torchvision  # noqa: F401

        return torchvision.models.resnet18()
    except ImportError:
        return ResNet18()


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
    torch.manual_seed(0)
    export(resnet18(), (1, 3, 224, 224), 'resnet18.onnx')
    export(Wide(), (1, 1, 28, 28), 'wide-100mb.onnx')
