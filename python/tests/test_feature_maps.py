"""The cnnvis package against the real server and worker: per-layer statistics equal to PyTorch's own
forward-hook outputs, ONNX files and images as inputs, the server's errors raised with its words."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import requests
import torch

from cnnvis import CnnVis, CnnvisError
from conftest import ROOT
from nets import ResidualConcatNet, hooked_outputs, write_png

TOL = 1e-4


def layer_of(result, module_name):
    """The layer carrying a module's output: the last ONNX node in its name scope."""
    scoped = [l for l in result['layers'] if l['node'].startswith(f'/{module_name}/')]
    assert scoped, f"no layer in scope /{module_name}/: {[l['node'] for l in result['layers']]}"
    return scoped[-1]


def assert_stats_match(result, outputs):
    for name, out in outputs.items():
        stats = layer_of(result, name)['stats']
        assert list(layer_of(result, name)['shape']) == list(out.shape), name
        expected = {'min': out.min().item(), 'max': out.max().item(), 'mean': out.mean().item(), 'std': out.std(unbiased=False).item()}
        for key, value in expected.items():
            assert stats[key] == pytest.approx(value, abs=TOL, rel=TOL), f'{name} {key}: server {stats[key]}, torch {value}'


@pytest.fixture(scope='module')
def net():
    torch.manual_seed(0)
    return ResidualConcatNet()


def test_a_torch_module_matches_its_forward_hooks_per_layer(viz, net):
    x = torch.randn(1, 3, 16, 16)
    result = viz.feature_maps(net, x, win='net', step=1, label='epoch 1')
    outputs = hooked_outputs(net, x)
    assert {'conv1', 'add', 'cat', 'fc'} <= set(outputs)
    assert_stats_match(result, outputs)
    assert result['win'] == 'net'
    table = result.format()
    assert '/add/Add' in table and '/cat/Concat' in table
    # The same module again is neither checked nor uploaded again: its SHA-256 is known.
    sent = []
    request = viz.session.request
    viz.session.request = lambda method, url, **kw: sent.append(method) or request(method, url, **kw)
    again = viz.feature_maps(net, x.numpy(), win='net', step=2)
    assert again['modelId'] == result['modelId'] and sent == ['POST']
    # The window keeps both runs, with their steps and labels, for its slider and compare.
    win = viz.session.get(f"{viz.url}/api/envs/{viz.env}/windows/net").json()
    assert [(r['step'], r['label'], r['modelName']) for r in win['content']['runs']] == [(1, 'epoch 1', 'ResidualConcatNet'), (2, None, 'ResidualConcatNet')]


def test_an_onnx_path_and_an_image_path(viz, net, tmp_path):
    model_path = tmp_path / 'net.onnx'
    torch.onnx.export(net.eval(), (torch.zeros(1, 3, 16, 16),), str(model_path), input_names=['input'])
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8)
    image_path = tmp_path / 'input.png'
    write_png(str(image_path), rgb)
    mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]
    result = viz.feature_maps(str(model_path), str(image_path), preprocess={'mean': mean, 'std': std})
    # The server's preprocessing, done here: scale to [0, 1], then (x - mean) / std per channel (no resize at 16×16).
    x = (rgb.astype(np.float32) / 255 - np.array(mean, np.float32)) / np.array(std, np.float32)
    outputs = hooked_outputs(net, torch.from_numpy(x.transpose(2, 0, 1)[None].copy()))
    assert_stats_match(result, outputs)


def test_a_wrong_input_shape_raises_with_the_servers_message(viz, net):
    model_id = viz.upload_model(net, torch.zeros(1, 3, 16, 16))
    with pytest.raises(CnnvisError) as err:
        viz.feature_maps(model_id, np.zeros((1, 3, 8, 8), np.float32))
    assert err.value.code == 'BAD_REQUEST' and err.value.status == 400
    assert "input shape [1, 3, 8, 8] does not fit the model's input" in err.value.message


def test_a_missing_token_raises_401_with_the_servers_message(server, net):
    viz = CnnVis(server.url, env='no-token')
    with pytest.raises(CnnvisError) as err:
        viz.feature_maps(net, torch.zeros(1, 3, 16, 16))
    assert err.value.status == 401 and err.value.code == 'UNAUTHORIZED'
    assert 'this server needs its token' in err.value.message


def test_progress_streams_to_a_callback(viz, net):
    seen = []
    result = viz.feature_maps(net, torch.zeros(1, 3, 16, 16), progress=lambda stage, fraction: seen.append((stage, fraction)))
    assert seen[0][0] == 'queued' and seen[-1] == ('done', 1)
    assert len(result['layers']) >= 8


def test_model_graph_and_filters_make_their_windows(viz, server, net):
    viz.feature_maps(net, torch.zeros(1, 3, 16, 16))
    # The module's last input shape is remembered for export; a shape works too.
    graph = viz.model_graph(net, win='arch')
    assert graph['win'] == 'arch'
    filters = viz.filters(net, 'conv1', win='w', input=(1, 3, 16, 16))
    assert [l['node'] for l in filters['layers']] == ['/conv1/Conv'] and filters['layers'][0]['shape'] == [8, 3, 3, 3]
    assert 'conv1' in filters.format()
    headers = {'Authorization': f'Bearer {server.token}'}
    for win in ('arch', filters['layers'][0]['win']):
        assert requests.get(f'{server.url}/api/envs/{viz.env}/windows/{win}', headers=headers).status_code == 200


def test_errors_made_here_use_the_same_class(viz, net):
    with pytest.raises(CnnvisError, match='pass input='):
        viz.model_graph(ResidualConcatNet())
    with pytest.raises(CnnvisError, match='neither a PNG nor a JPEG'):
        viz.feature_maps(net, b'not an image')


def test_the_package_imports_with_neither_torch_nor_visdom():
    code = 'import sys, cnnvis; assert "torch" not in sys.modules and "visdom" not in sys.modules, sorted(sys.modules)'
    subprocess.run([sys.executable, '-c', code], check=True)


def test_the_training_loop_example_runs(server):
    example = os.path.join(ROOT, 'examples', 'python', 'training_loop.py')
    env = {**os.environ, 'CNNVIS_URL': server.url, 'CNNVIS_TOKEN': server.token, 'EPOCHS': '2'}
    out = subprocess.run([sys.executable, example], env=env, check=True, capture_output=True, text=True).stdout
    assert 'epoch 2: loss' in out and '/0/Conv' in out
    assert re.search(r'^/0/Conv\s+Conv\s+0\.\d+', out, re.M), out  # the compare table: its cosine


def test_compare_two_steps_of_a_window(viz):
    torch.manual_seed(1)
    net = ResidualConcatNet()
    x = torch.randn(1, 3, 16, 16)
    first = viz.feature_maps(net, x, win='cmp', step=1)
    with torch.no_grad():
        net.conv2.weight.mul_(-1)  # conv1 is untouched, conv2 and everything after it change
    second = viz.feature_maps(net, x, win='cmp', step=2)
    result = viz.compare(1, 2, win='cmp')
    assert (result['a']['runId'], result['b']['runId']) == (first['runId'], second['runId'])
    by_id = {l['id']: l for l in result['layers']}
    assert by_id['/conv1/Conv']['cosine'] == pytest.approx(1, abs=1e-3)
    assert by_id['/conv2/Conv']['cosine'] < 0
    assert '/conv2/Conv' in result.format()
    # Run ids work as well as steps.
    assert viz.compare(first['runId'], second['runId'])['layers'] == result['layers']
