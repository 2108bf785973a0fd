"""The PyTorch models behind the worker's test fixtures.

Small on purpose: each exists to exercise one thing the worker must get right
(residual Add, Concat, depthwise conv, BatchNorm that is not folded into a conv,
a dynamic batch axis, Constant nodes and int64 shape arithmetic), and the seed's
ConvNet that the example and the benchmark run.
"""
import torch
import torch.nn as nn


class Add(nn.Module):
    """`a + b` as a module, so a forward hook can record it."""

    def forward(self, a, b):
        return a + b


class Cat(nn.Module):
    """`torch.cat` along channels as a module, so a forward hook can record it."""

    def forward(self, a, b):
        return torch.cat([a, b], 1)


class Block(nn.Module):
    """Depthwise 3x3, pointwise 1x1, ReLU, residual Add, then BatchNorm.

    The BatchNorm follows the Add, not a conv, so the exporter cannot fold it away.
    """

    def __init__(self, c):
        super().__init__()
        self.dw = nn.Conv2d(c, c, 3, padding=1, groups=c)
        self.pw = nn.Conv2d(c, c, 1)
        self.act = nn.ReLU()
        self.add = Add()
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        return self.bn(self.add(x, self.act(self.pw(self.dw(x)))))


class ResidualNet(nn.Module):
    """Stem conv, a residual depthwise block, a Concat with a 1x1 branch, BN, pooling, a linear head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.stem_act = nn.ReLU()
        self.block1 = Block(8)
        self.branch = nn.Conv2d(8, 8, 1)
        self.cat = Cat()
        self.bn2 = nn.BatchNorm2d(16)
        self.act2 = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        y = self.block1(self.stem_act(self.stem(x)))
        y = self.act2(self.bn2(self.cat(y, self.branch(y))))
        return self.fc(self.flatten(self.pool(y)))


class ShapeNet(nn.Module):
    """Conv, ReLU, then `view(x.size(0), -1)`: Shape, Gather, Constant, Unsqueeze, Concat, Reshape."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.act = nn.ReLU()
        self.fc = nn.Linear(4 * 6 * 6, 3)

    def forward(self, x):
        y = self.act(self.conv(x))
        return self.fc(y.view(y.size(0), -1))


class ConvNet(nn.Module):
    """The seed's small ConvNet on 1x28x28: conv 1->32 3x3 pad 1, ReLU, max-pool 2, fc 6272->128, ReLU, fc 128->10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(32 * 14 * 14, 128)
        self.relu2 = nn.ReLU()
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(self.relu2(self.fc1(self.flatten(self.pool(self.relu1(self.conv1(x)))))))


def randomize_batchnorm(model, gen):
    """Give every BatchNorm non-trivial statistics, so that it changes its input."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=gen) * 0.2)
