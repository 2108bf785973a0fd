"""Which channels of a CNN are dead, saturated or NaN over a whole folder of images, and where it looks.

    npx cnnvis-server                  # http://127.0.0.1:8097
    pip install ./python               # the cnnvis package, from this repository
    python examples/python/dataset_stats.py [FOLDER]

FOLDER holds PNG/JPEG images; without one, 64 synthetic 32x32 pictures are written to a temporary
folder. The images stream to the server one by one (a folder of any size is never held in memory),
ONNX Runtime runs them a batch at a time, and env `dataset` gets a table listing the dead channels
(window `stats`), each layer's dead fraction (`stats-dead`) and an occlusion map of the first image
(`where`). CNNVIS_URL and CNNVIS_TOKEN point it at another server.
"""
import os
import struct
import sys
import tempfile
import zlib

import numpy as np
import torch
from torch import nn

from cnnvis import CnnVis

URL = os.environ.get('CNNVIS_URL', 'http://127.0.0.1:8097')


def write_png(path, rgb):
    """An 8-bit RGB PNG of an [H, W, 3] uint8 array, with no imaging library."""
    h, w, _ = rgb.shape
    raw = b''.join(b'\x00' + rgb[y].tobytes() for y in range(h))
    chunk = lambda kind, data: struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))  # noqa: E731
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def synthetic_folder(n=64):
    folder = tempfile.mkdtemp(prefix='cnnvis-images-')
    rng = np.random.default_rng(0)
    for i in range(n):
        write_png(os.path.join(folder, f'{i:03d}.png'), rng.integers(0, 256, size=(32, 32, 3), dtype=np.uint8))
    return folder


torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
    nn.Conv2d(16, 16, 3, padding=1), nn.ReLU6(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 16 * 16, 10),
)
with torch.no_grad():
    model[0].bias[:4] = -10  # four channels a bad init left dead: the statistics should find them

folder = sys.argv[1] if len(sys.argv) > 1 else synthetic_folder()
viz = CnnVis(URL, env='dataset', token=os.environ.get('CNNVIS_TOKEN'))
progress = lambda stage, fraction: print(f'\r{stage} {fraction:.0%}  ', end='', flush=True)  # noqa: E731
stats = viz.dataset_stats(model, folder, win='stats', input_shape=(1, 3, 32, 32), progress=progress)
print()
print(stats.format())
for node, channels in stats.dead_channels().items():
    listed = ', '.join(map(str, channels[:8])) + (', ...' if len(channels) > 8 else '')
    print(f'{node}: {len(channels)} channels zero on every one of the {stats["inputs"]} inputs: {listed}')

first = os.path.join(folder, sorted(n for n in os.listdir(folder) if n.lower().endswith(('.png', '.jpg', '.jpeg')))[0])
where = viz.attribution(model, first, method='occlusion', patch=8, stride=4, win='where', input_shape=(1, 3, 32, 32))
print(where.format())
print('heatmap', where.heatmap.shape, 'peak at', np.unravel_index(where.heatmap.argmax(), where.heatmap.shape))
