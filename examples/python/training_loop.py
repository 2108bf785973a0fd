"""Watch a CNN's layers change while it trains: the feature maps of one fixed input, every epoch.

    npx cnnvis-server                  # http://127.0.0.1:8097
    pip install ./python               # the cnnvis package, from this repository
    python examples/python/training_loop.py

Then open http://127.0.0.1:8097, env `training`: the graph window `convnet` keeps one run per
epoch, the step slider walks through them, and comparing epoch 1 with the last is one click.
A small CNN learns to tell three kinds of synthetic 16x16 images apart (horizontal bars,
vertical bars, blobs). With the stock `visdom` client installed, the loss is plotted through it,
beside cnnvis in the same script. CNNVIS_URL and CNNVIS_TOKEN point it at another server.
"""
import os

import torch
from torch import nn

from cnnvis import CnnVis

EPOCHS = int(os.environ.get('EPOCHS', '5'))
URL = os.environ.get('CNNVIS_URL', 'http://127.0.0.1:8097')
torch.manual_seed(0)


def synthetic_batch(n):
    """Images of three classes: horizontal bars, vertical bars, a bright blob; plus noise."""
    labels = torch.randint(0, 3, (n,))
    grid = torch.arange(16, dtype=torch.float32)
    images = torch.randn(n, 1, 16, 16) * 1.0
    for i, label in enumerate(labels.tolist()):
        phase = torch.randint(0, 4, ()).item()
        if label == 0:
            images[i, 0] += ((grid + phase) % 4 < 2).float()[:, None]
        elif label == 1:
            images[i, 0] += ((grid + phase) % 4 < 2).float()[None, :]
        else:
            cy, cx = torch.randint(4, 12, (2,)).tolist()
            images[i, 0] += torch.exp(-((grid[:, None] - cy) ** 2 + (grid[None, :] - cx) ** 2) / 8)
    return images, labels


model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 4 * 4, 3),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
viz = CnnVis(URL, env='training', token=os.environ.get('CNNVIS_TOKEN'))
fixed_input, _ = synthetic_batch(1)  # the same image every epoch, so the runs compare

try:  # the stock client, if installed: plots go through it as they always did
    import visdom
    plots = visdom.Visdom(server=URL.rsplit(':', 1)[0], port=int(URL.rsplit(':', 1)[1]), env='training')
except ImportError:
    plots = None

for epoch in range(1, EPOCHS + 1):
    model.train()
    for _ in range(10):
        images, labels = synthetic_batch(32)
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if plots is not None:
        plots.line(X=[epoch], Y=[loss.item()], win='loss', update='append' if epoch > 1 else None, opts={'title': 'loss'})
    result = viz.feature_maps(model, fixed_input, win='convnet', step=epoch, label=f'epoch {epoch}')
    print(f'epoch {epoch}: loss {loss.item():.3f}')
    print(result.format())

# Epoch 1 against the last, layer by layer (steps name the window's runs): what training changed.
print(viz.compare(1, EPOCHS, win='convnet').format())
