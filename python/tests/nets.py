"""Small PyTorch nets for the tests, and a PNG writer (the package needs no imaging library)."""
import struct
import zlib

import torch
from torch import nn


class Add(nn.Module):
    def forward(self, a, b):
        return a + b


class Cat(nn.Module):
    def forward(self, a, b):
        return torch.cat([a, b], dim=1)


class ResidualConcatNet(nn.Module):
    """A residual add and a channel concat, each a module so forward hooks see them."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.add = Add()
        self.relu2 = nn.ReLU()
        self.branch = nn.Conv2d(8, 4, 1)
        self.cat = Cat()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        a = self.relu1(self.conv1(x))
        r = self.relu2(self.add(a, self.conv2(a)))
        c = self.cat(r, self.branch(r))
        return self.fc(self.flatten(self.pool(c)))


def hooked_outputs(model, x):
    """Each leaf module's output, by its qualified name, as its forward hook sees it."""
    outputs = {}
    hooks = [m.register_forward_hook(lambda _m, _i, out, name=name: outputs.__setitem__(name, out.detach().double()))
             for name, m in model.named_modules() if name and not list(m.children())]
    try:
        model.eval()
        with torch.no_grad():
            model(x)
    finally:
        for h in hooks:
            h.remove()
    return outputs


def write_png(path, rgb):
    """An 8-bit RGB PNG of an [H, W, 3] uint8 array."""
    h, w, _ = rgb.shape
    raw = b''.join(b'\x00' + rgb[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
