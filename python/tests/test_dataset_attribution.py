"""Dataset statistics and attribution through the real server and ONNX Runtime: the numbers the server
gives equal those computed here from PyTorch's own forward passes (hooks, occlusion by hand) or the
worker fixtures' numpy references."""
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest
import torch
from torch import nn

from cnnvis import CnnvisError
from conftest import ROOT
from nets import ResidualConcatNet, hooked_outputs, write_png

FIXTURES = os.path.join(ROOT, 'packages', 'worker', 'test', 'fixtures')
TOL = 1e-4


def fixture(name):
    return os.path.join(FIXTURES, name)


class DeadReluNet(nn.Module):
    """Conv 1->4 whose channel 2 has bias -100 (dead after the ReLU on inputs in [0, 1]), ReLU, Relu6's clamp."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(3)
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        with torch.no_grad():
            self.conv.bias[2] = -100
        self.relu = nn.ReLU()
        self.relu6 = nn.ReLU6()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(self.flatten(self.pool(self.relu6(self.relu(self.conv(x) * 8)))))


def channel_stats(outs):
    """Per-channel statistics over a list of [1, C, ...] outputs, in numpy (float64)."""
    a = np.concatenate([o.numpy() for o in outs])  # [N, C, ...]
    per = a.reshape(a.shape[0], a.shape[1], -1)
    flat = per.transpose(1, 0, 2).reshape(a.shape[1], -1)
    return {
        'min': flat.min(1), 'max': flat.max(1), 'mean': flat.mean(1), 'std': flat.std(1),
        'zeros': (flat == 0).mean(1), 'dead': (per == 0).all(2).mean(0),
    }


def test_dataset_stats_of_a_torch_module_match_numpy_on_its_hooked_outputs(viz):
    net = DeadReluNet()
    gen = torch.Generator().manual_seed(5)
    batches = [(torch.rand(4, 1, 8, 8, generator=gen), torch.zeros(4)) for _ in range(5)]  # as a DataLoader yields
    seen = []
    stats = viz.dataset_stats(net, batches, win='dead', batch=3, top_k=2, progress=lambda stage, f: seen.append((stage, f)))
    assert stats['inputs'] == 20 and stats['win'] == 'dead' and stats['deadWin'] == 'dead-dead'
    assert seen and seen[-1] == ('done', 1)
    xs = [x[i:i + 1] for x, _ in batches for i in range(4)]
    hooked = [hooked_outputs(net, x) for x in xs]
    for name, node in [('relu', '/relu/Relu'), ('relu6', '/relu6/Clip')]:
        layer = stats.layer(node)
        expected = channel_stats([h[name] for h in hooked])
        for key, values in expected.items():
            assert np.allclose(layer[key], values, atol=TOL, rtol=TOL), f'{node} {key}: server {layer[key]}, numpy {values}'
    assert stats.layer('/relu/Relu')['dead'][2] == 1
    assert stats.dead_channels()['/relu/Relu'] == [2]
    relu6 = stats.layer('/relu6/Clip')
    out = np.concatenate([h['relu6'].numpy() for h in hooked])
    saturated = ((out == 0) | (out == 6)).transpose(1, 0, 2, 3).reshape(4, -1).mean(1)
    assert relu6['bounds'] == [0, 6] and np.allclose(relu6['saturated'], saturated, atol=1e-9)
    assert all(len(t) == 2 for t in relu6['top'])
    assert '/relu/Relu' in stats.format()


def test_dataset_stats_of_an_onnx_file_match_the_fixtures_numpy_reference(viz):
    ref = json.load(open(fixture('dead-clip-reference.json')))
    arrays = [np.asarray(d, np.float32).reshape(ref['inputs']['shape']) for d in ref['inputs']['data']]
    as_list = viz.dataset_stats(fixture('dead-clip.onnx'), arrays)
    as_batch = viz.dataset_stats(fixture('dead-clip.onnx'), np.concatenate(arrays), win='batch')
    for stats in (as_list, as_batch):
        assert stats['inputs'] == 12
        assert stats.layer(ref['relu']['tensor'])['dead'] == ref['relu']['dead']
        clip = stats.layer(ref['clip']['tensor'])
        assert np.allclose(clip['saturated'], ref['clip']['saturated'], atol=1e-9)
        assert np.allclose(clip['mean'], ref['clip']['mean'], atol=1e-5)
    table = viz.session.get(f"{viz.url}/api/envs/{viz.env}/windows/{as_list['win']}").json()
    assert table['opts']['title'] == 'dead-clip.onnx over 12 inputs'


def test_dataset_stats_of_a_folder_of_images(viz, tmp_path):
    torch.manual_seed(0)
    net = ResidualConcatNet()
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(3)]
    for i, rgb in enumerate(images):
        write_png(str(tmp_path / f'{i}.png'), rgb)
    (tmp_path / 'notes.txt').write_text('not an image')
    run = viz.feature_maps(net, torch.zeros(1, 3, 16, 16), win='folder-net')
    stats = viz.dataset_stats(net, str(tmp_path), input_shape=(1, 3, 16, 16), graph_win=run['win'])
    assert stats['modelId'] == run['modelId'] and stats['inputs'] == 3 and stats['graphWin'] == run['win']
    # The model's graph window keeps the statistics beside its run, for the explorer to colour the layers by.
    win = viz.session.get(f"{viz.url}/api/envs/{viz.env}/windows/{run['win']}").json()['content']
    assert win['run']['runId'] == run['runId'] and win['dataset']['inputs'] == 3
    # The server's preprocessing with no options: scale to [0, 1].
    hooked = [hooked_outputs(net, torch.from_numpy((rgb.astype(np.float32) / 255).transpose(2, 0, 1)[None].copy())) for rgb in images]
    layer = stats.layer('/add/Add')
    expected = channel_stats([h['add'] for h in hooked])
    for key in ('min', 'max', 'mean', 'std'):
        assert np.allclose(layer[key], expected[key], atol=TOL, rtol=TOL), key


def test_dataset_stats_refuse_bad_inputs_with_a_message(viz, tmp_path):
    with pytest.raises(CnnvisError, match='no PNG or JPEG file in the folder'):
        viz.dataset_stats(fixture('dead-clip.onnx'), str(tmp_path))
    with pytest.raises(CnnvisError, match=r'inputs\[1\]: shape \[1, 1, 4, 4\], but input 0 is shape \[1, 1, 8, 8\]'):
        viz.dataset_stats(fixture('dead-clip.onnx'), [np.zeros((1, 1, 8, 8)), np.zeros((1, 1, 4, 4))])
    with pytest.raises(CnnvisError) as err:
        viz.dataset_stats(fixture('dead-clip.onnx'), np.zeros((2, 1, 4, 4)))
    assert err.value.status == 400 and 'the model needs 8' in err.value.message


class QuadrantNet(nn.Module):
    """Reads only the top-left 8x8 quadrant of a 1x16x16 input."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(4)
        self.conv = nn.Conv2d(1, 3, 3, padding=1)
        self.fc = nn.Linear(3 * 8 * 8, 4)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x[:, :, :8, :8])).flatten(1))


def test_occlusion_of_a_torch_module_matches_occlusion_done_in_torch(viz):
    net = QuadrantNet().eval()
    x = torch.rand(1, 1, 16, 16, generator=torch.Generator().manual_seed(9)) + 0.5
    result = viz.attribution(net, x, method='occlusion', patch=4, stride=4, win='occ')
    heatmap = result.heatmap
    assert heatmap.shape == (16, 16) and result['passes'] == 16
    with torch.no_grad():
        logits = net(x)[0]
        target = int(logits.argmax())
        expected = np.zeros((16, 16))
        for y in range(0, 16, 4):
            for xx in range(0, 16, 4):
                occluded = x.clone()
                occluded[:, :, y:y + 4, xx:xx + 4] = 0
                expected[y:y + 4, xx:xx + 4] = float(logits[target] - net(occluded)[0, target])
    assert result['target'] == target
    assert np.allclose(heatmap, expected, atol=TOL)
    assert np.abs(heatmap[:8, :8]).max() > 0 and not heatmap[8:, :].any() and not heatmap[:, 8:].any()
    # A kept run explained on its own input gives the same map, and keeps it with the run.
    run = viz.feature_maps(net, x, win='quad')
    kept = viz.attribution(run, method='occlusion', patch=4, stride=4)
    assert kept['runId'] == run['runId'] and np.allclose(kept.heatmap, heatmap, atol=1e-6)


def test_score_cam_matches_the_fixtures_numpy_reference(viz):
    ref = json.load(open(fixture('linear-cam-reference.json')))
    x = np.asarray(ref['input']['data'], np.float32).reshape(ref['input']['shape'])
    seen = []
    result = viz.attribution(fixture('linear-cam.onnx'), x, method='score-cam', labels=['a', 'b', 'c'], progress=lambda s, f: seen.append(s))
    assert result['target'] == ref['target'] and result['targetLabel'] == 'abc'[ref['target']]
    assert np.allclose(result['weights'], ref['weights'], atol=TOL)
    assert np.allclose(result.heatmap.reshape(-1), ref['cam'], atol=TOL)
    assert 'done' in seen and 'score-cam' in result.format()
    with pytest.raises(CnnvisError) as err:
        viz.attribution(fixture('linear-cam.onnx'), x, method='score-cam', max_passes=1)
    assert err.value.status is not None and err.value.status < 500


def test_the_dataset_example_runs(server):
    example = os.path.join(ROOT, 'examples', 'python', 'dataset_stats.py')
    env = {**os.environ, 'CNNVIS_URL': server.url, 'CNNVIS_TOKEN': server.token}
    out = subprocess.run([sys.executable, example], env=env, check=True, capture_output=True, text=True).stdout
    assert '/0/Conv' in out and 'occlusion of class' in out
    assert re.search(r'^/1/Relu: 4 channels zero on every one of the 64 inputs: 0, 1, 2, 3$', out, re.M), out


def test_a_fault_found_early_reaches_a_client_still_uploading(viz):
    def slow():
        for i in range(6):
            if i == 2:
                time.sleep(3)  # longer than a drain the server might cut short
            yield np.zeros((1, 1, 8, 8), np.float32)

    with pytest.raises(CnnvisError) as err:
        viz.dataset_stats(fixture('dead-clip.onnx'), slow(), top_k=0)
    assert err.value.status == 400 and 'topK' in err.value.message


def test_a_torch_module_on_images_asks_for_input_shape(viz, tmp_path):
    write_png(str(tmp_path / 'a.png'), np.zeros((16, 16, 3), np.uint8))
    with pytest.raises(CnnvisError, match='input_shape: a torch module with an image input'):
        viz.dataset_stats(QuadrantNet(), str(tmp_path))
