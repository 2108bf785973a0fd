"""``CnnVis``: a cnnvis server's analysis over plain HTTP (``POST /api/runs``, ``/api/dataset-stats``, ``/api/attributions`` and the model routes)."""
import json
import weakref
from urllib.parse import quote

import requests

from .dataset import dataset_inputs, multipart_body
from .errors import CnnvisError, bad_request
from .inputs import as_array, describe_input
from .models import describe_model, is_torch_module
from .results import Attribution, Compare, DatasetStats, FeatureMaps, Filters, Window

#: Response header of HEAD/PUT /api/models/:sha naming the server's upload limit.
MAX_MODEL_BYTES_HEADER = 'cnnvis-max-model-bytes'


def _drop_none(d):
    return {k: v for k, v in d.items() if v is not None}


def _events(res):
    """Server-sent events as (event, data) pairs."""
    event, data = 'message', []
    for line in res.iter_lines(decode_unicode=True):
        if line == '':
            if data:
                yield event, json.loads('\n'.join(data))
            event, data = 'message', []
        elif line.startswith('event:'):
            event = line[6:].strip()
        elif line.startswith('data:'):
            data.append(line[5:].strip())


class CnnVis:
    """A connection to a cnnvis server for model analysis.

    Example::

        viz = CnnVis('http://127.0.0.1:8097', env='main', token=None)
        result = viz.feature_maps(model, x, win='net', step=epoch)
        print(result.format())

    Plots go through the stock ``visdom`` client as before; this class neither needs nor touches it.
    """

    def __init__(self, url='http://127.0.0.1:8097', env='main', token=None, timeout=900.0):
        self.url = url.rstrip('/')
        self.env = env
        self.timeout = timeout
        self.session = requests.Session()
        if token is not None:
            self.session.headers['Authorization'] = f'Bearer {token}'
        # Model ids the server had or took: not asked again (a run that finds one gone asks anew).
        self._stored = set()
        # The last input shape each torch module ran on, so model_graph(module) can export it without one.
        self._shapes = weakref.WeakKeyDictionary()

    def _request(self, method, path, **kwargs):
        kwargs.setdefault('timeout', self.timeout)
        res = self.session.request(method, self.url + path, **kwargs)
        if res.status_code >= 400:
            raise CnnvisError.from_response(res)
        return res

    def _example(self, module, input, input_shape):
        """The tensor a torch module is exported on: the input itself, else zeros of ``input_shape`` or its last shape."""
        import torch

        if input is not None and not isinstance(input, (str, bytes, bytearray)) and not hasattr(input, '__fspath__'):
            return torch.from_numpy(as_array(input))
        shape = input_shape or self._shapes.get(module)
        if shape is None and input is None:
            raise bad_request('input: a torch module is exported to ONNX on an example input; pass input= (a tensor, an array or a shape)')
        if shape is None:
            raise bad_request('input_shape: a torch module with an image input is exported on zeros of this shape, e.g. (1, 3, 224, 224)')
        return torch.zeros(*shape)

    def upload_model(self, model, input=None, input_shape=None):
        """Put ``model`` on the server unless it has it (``HEAD``, then ``PUT /api/models/:sha``); returns its id
        (a torch module is exported on ``input`` or zeros of ``input_shape``)."""
        return self._upload(model, input, input_shape).id

    def _upload(self, model, input=None, input_shape=None):
        example = self._example(model, input, input_shape) if is_torch_module(model) else None
        m = describe_model(model, example)
        if example is not None:
            self._shapes[model] = tuple(example.shape)
        self._ensure(m)
        return m

    def _ensure(self, m):
        if m.id in self._stored:
            return
        path = f'/api/models/{m.id}'
        head = self.session.head(self.url + path, timeout=self.timeout)
        if head.status_code == 200:
            self._stored.add(m.id)
            return
        if head.status_code != 404:
            # A HEAD answer has no body: the same path asked with GET is refused with the message (a token, a throttle).
            res = self.session.get(self.url + path, timeout=self.timeout)
            raise CnnvisError.from_response(res if res.status_code >= 400 else head)
        if m.open_body is None:
            raise CnnvisError('NOT_FOUND', f'model: {m.id} is not on the server at {self.url}; pass the model, its file path or bytes to upload it')
        limit = int(head.headers.get(MAX_MODEL_BYTES_HEADER, '0') or 0)
        if limit and m.size > limit:
            raise CnnvisError('PAYLOAD_TOO_LARGE', f"model: {m.size} bytes, over the server's limit of {limit} (its --max-model-size)")
        body = m.open_body()
        try:
            self._request('PUT', path, data=body, headers={'Content-Type': 'application/octet-stream'})
        finally:
            if hasattr(body, 'close'):
                body.close()
        self._stored.add(m.id)

    def _upload_for_weights(self, model, input):
        """Upload for a call that runs nothing: ``input`` may be a shape to export a torch module on."""
        is_shape = isinstance(input, (tuple, list)) and all(isinstance(d, int) for d in input)
        return self._upload(model, None if is_shape else input, tuple(input) if is_shape else None)

    def feature_maps(self, model, input, win=None, step=None, label=None, layers=None, max_channels=None,
                     preprocess=None, channel_stats=None, input_shape=None, env=None, progress=None):
        """Run ``model`` on ``input`` on the server and show every layer's feature maps in the graph window ``win``.

        ``model``: a ``torch.nn.Module`` (exported to ONNX in memory), an ONNX file path, ONNX bytes or a model id.
        ``input``: a tensor, a numpy array (sent as float32), or a PNG/JPEG path or bytes (preprocessed on the
        server with ``preprocess``: ``mean``, ``std``, ``scale``, ``resize``, ``channelOrder``; a torch module
        then needs ``input_shape`` to be exported). ``step`` and ``label`` place the run in the window's series.
        ``progress(stage, fraction)`` is called as the job goes (the answer then streams as server-sent events).
        Returns a :class:`FeatureMaps` dict; raises :class:`CnnvisError` with the server's code and message.
        """
        inp = describe_input(input)
        m = self._upload(model, input, input_shape)
        request = _drop_none({
            'env': env or self.env, 'modelId': m.id, 'win': win, 'step': step, 'label': label, 'modelName': m.name,
            'layers': [layers] if isinstance(layers, str) else None if layers is None else list(layers), 'maxChannels': max_channels,
            'preprocess': preprocess, 'channelStats': channel_stats,
        })
        if inp.shape is not None:
            request['input'] = {'dtype': 'float32', 'shape': inp.shape}
        try:
            return FeatureMaps(self._run(request, inp, progress))
        except CnnvisError as err:
            # The server lost the model since it was checked (a new data dir): upload it again, once.
            if err.code != 'NOT_FOUND' or m.open_body is None or 'model' not in err.message:
                raise
            self._stored.discard(m.id)
            self._ensure(m)
            return FeatureMaps(self._run(request, inp, progress))

    def _run(self, request, inp, progress, path='/api/runs'):
        files = {'request': (None, json.dumps(request), 'application/json'), 'input': ('input', inp.data, inp.mime)}
        return self._post_run(path, progress, files=files)

    def _post_run(self, path, progress, **kwargs):
        """POST a run; with ``progress``, ask for server-sent events and report them until the result."""
        if progress is None:
            return self._request('POST', path, **kwargs).json()
        headers = {**kwargs.pop('headers', {}), 'Accept': 'text/event-stream'}
        res = self._request('POST', path, headers=headers, stream=True, **kwargs)
        with res:
            for event, data in _events(res):
                if event == 'progress':
                    progress(data['stage'], data['fraction'])
                elif event == 'result':
                    return data
                elif event == 'error':
                    raise CnnvisError.from_event(data)
        raise CnnvisError('UNAVAILABLE', 'the server closed the progress stream before the result')

    def dataset_stats(self, model, inputs, win=None, graph_win=None, layers=None, batch=None, top_k=None, preprocess=None,
                      input_shape=None, env=None, progress=None):
        """Per-layer, per-channel statistics of ``model`` over many inputs, computed on the server a batch at a
        time: min, max, mean, std, the fraction of zeros, the fraction of inputs on which a channel is all
        zero (dead), saturation at a Clip/Relu6/Sigmoid/Tanh bound, NaN/Inf counts and each channel's top-k
        inputs. Shown as a table in window ``win`` and each layer's dead fraction in ``<win>-dead``, and kept by
        the model's graph window ``graph_win`` (default: ``graph``, or the run window of the same model under
        its default name), whose explorer colours the layers by them.

        ``inputs``: a folder of PNG/JPEG files, or an iterable of image paths, tensors or arrays (each a batch:
        axis 0 runs over inputs), or ``(inputs, labels)`` pairs as a ``DataLoader`` yields; a tensor or array
        alone is a batch too. They are streamed to the server as the upload goes, never held together.
        ``model``, ``preprocess``, ``input_shape`` and ``progress`` are as for :meth:`feature_maps`;
        ``batch`` is the inputs per forward pass (where the model's batch dimension is dynamic), ``top_k`` the
        inputs kept per channel. Returns a :class:`DatasetStats` dict.

        Example::

            stats = viz.dataset_stats(model, loader, win='val-stats')
            print(stats.format())
            stats.dead_channels()  # {'/relu1/Relu': [2], ...}
        """
        first, shape, all_inputs = dataset_inputs(inputs)
        m = self._upload(model, first, input_shape)
        request = _drop_none({
            'env': env or self.env, 'modelId': m.id, 'win': win, 'graphWin': graph_win, 'batch': batch, 'topK': top_k,
            'modelName': m.name,
            'preprocess': preprocess,
            'layers': [layers] if isinstance(layers, str) else None if layers is None else list(layers),
            'input': None if shape is None else {'dtype': 'float32', 'shape': shape},
        })
        content_type, body = multipart_body(request, all_inputs)
        return DatasetStats(self._post_run('/api/dataset-stats', progress, data=body, headers={'Content-Type': content_type}))

    def attribution(self, model, input=None, method='occlusion', target=None, layer=None, patch=None, stride=None,
                    fill=None, batch=None, max_passes=None, labels=None, win=None, preprocess=None, input_shape=None,
                    env=None, progress=None):
        """Where ``model`` looks when it predicts ``target`` (default: its top-1 class) on ``input``, from forward
        passes alone: ``method='occlusion'`` (the target score's drop under a ``patch``-pixel square moved by
        ``stride`` and filled with ``fill``) or ``'score-cam'`` (the maps of conv ``layer``, default the last,
        weighted by the scores of the inputs they mask). The input with the heatmap over it is shown in window
        ``win``, the heatmap in ``<win>-heatmap``.

        ``model`` and ``input`` are as for :meth:`feature_maps`; ``model`` may instead be a :meth:`feature_maps`
        result, whose kept run is explained on its own input (the heatmap is kept with the run).
        ``max_passes`` refuses a job of more forward passes. Returns an :class:`Attribution` dict, whose
        ``heatmap`` property is the map as a ``(H, W)`` numpy array.
        """
        fields = {'method': method, 'target': target, 'layer': layer, 'patch': patch, 'stride': stride, 'fill': fill,
                  'batch': batch, 'maxPasses': max_passes, 'win': win}
        if isinstance(model, dict) and 'runId' in model:
            if input is not None or preprocess is not None:
                raise bad_request('input: a kept run is explained on its own input; leave input and preprocess out')
            if labels is not None:
                raise bad_request('labels: a kept run names its classes with the labels it was run with')
            params = _drop_none({**fields, 'runId': model['runId'], 'env': env})
            return Attribution(self._post_run('/api/attributions', progress, params=params, data=b''))
        if input is None:
            raise bad_request('input: give the input to explain (a tensor, an array or an image path)')
        inp = describe_input(input)
        m = self._upload(model, input, input_shape)
        request = _drop_none({**fields, 'env': env or self.env, 'modelId': m.id, 'labels': labels, 'preprocess': preprocess})
        if inp.shape is not None:
            request['input'] = {'dtype': 'float32', 'shape': inp.shape}
        return Attribution(self._run(request, inp, progress, '/api/attributions'))

    def model_graph(self, model, win=None, input=None, env=None):
        """Show ``model``'s layer graph (no run) in window ``win``. A torch module needs ``input`` (a tensor or a
        shape) unless it ran through :meth:`feature_maps` before."""
        m = self._upload_for_weights(model, input)
        body = _drop_none({'env': env or self.env, 'win': win})
        return Window(self._request('POST', f'/api/models/{m.id}/graph', json=body).json())

    def filters(self, model, layer=None, win=None, max_filters=None, max_inputs=None, input=None, env=None):
        """Show conv layers' filters (all of them, or those ``layer`` names) as image grids and weight histograms,
        in windows ``<win>-<layer>``; ``win`` defaults to ``filters``. ``input`` as for :meth:`model_graph`."""
        m = self._upload_for_weights(model, input)
        body = _drop_none({'env': env or self.env, 'layer': layer, 'winPrefix': win, 'maxFilters': max_filters, 'maxInputs': max_inputs})
        return Filters(self._request('POST', f'/api/models/{m.id}/filters', json=body).json())

    def compare(self, run_a, run_b, win=None, top_channels=None, env=None):
        """Compare two runs layer by layer: run ids, or steps among the runs of graph window ``win``."""
        params = _drop_none({'env': env or self.env, 'win': win, 'top': top_channels})
        path = f"/api/runs/{quote(str(run_a), safe='')}/compare/{quote(str(run_b), safe='')}"
        return Compare(self._request('GET', path, params=params).json())
