"""The PyTorch row of the feature-maps table: what a PyTorch user does by hand.

A forward pass of the same architecture as the bench's ONNX model (built by
make-models.py's TORCHVISION list, same seed), 2 threads, with a forward hook
on every module taking its output's mean and std. Serves one timed pass per
line read from stdin, printing its milliseconds, so bench/feature-maps.ts can
take it in turns with the other sides.

    /usr/bin/python3 bench/torch-hooks.py resnet18
"""
import importlib.util
import os
import sys
import time

import torch

spec = importlib.util.spec_from_file_location('make_models', os.path.join(os.path.dirname(__file__), 'make-models.py'))
make_models = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_models)

torch.set_num_threads(2)
name = sys.argv[1]
_, make, size = next(m for m in make_models.TORCHVISION if m[0] == name)
torch.manual_seed(0)
model = make().eval()
stats = []


def hook(_module, _inputs, out):
    if isinstance(out, torch.Tensor) and out.is_floating_point():
        stats.append((out.mean().item(), out.std().item()))


for m in model.modules():
    m.register_forward_hook(hook)
x = torch.rand(1, 3, size, size)
with torch.no_grad():
    for _ in sys.stdin:
        stats.clear()
        t0 = time.perf_counter()
        model(x)
        print(f'{(time.perf_counter() - t0) * 1000:.3f}', flush=True)
