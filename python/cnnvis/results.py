"""What the calls return: the server's JSON as plain dicts, with a ``format()`` that prints as a table."""


def _fixed(v, digits=3):
    if v is None:
        return '-'
    return f'{v:.2e}' if abs(v) >= 1e4 else f'{v:.{digits}f}'


def _table(header, rows):
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: '  '.join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(header)] + [line(r) for r in rows]


class FeatureMaps(dict):
    """A run's answer: ``runId``, ``modelId``, ``env``, ``win``, ``provider``, ``timings`` and ``layers``
    (each with ``node``, ``op``, ``tensor``, ``shape`` and ``stats``)."""

    def format(self):
        """One line per layer: name, op, output shape, min/mean/max/std, share of zeros, NaN/inf counts."""
        header = ['layer', 'op', 'shape', 'min', 'mean', 'max', 'std', 'zeros', 'nan/inf']
        rows = []
        for layer in self['layers']:
            s = layer['stats']
            rows.append([
                layer['node'], layer['op'], str(layer['shape']),
                _fixed(s['min']), _fixed(s['mean']), _fixed(s['max']), _fixed(s['std']),
                f"{s['zeros'] * 100:.1f}%", f"{s['nan']}/{s['inf']}",
            ])
        t = self['timings']
        head = f"run {self['runId']} on {self['provider']}: {t['totalMs']:.0f} ms (queue {t['queueMs']:.0f}, run {t['runMs']:.0f}, store {t['storeMs']:.0f})"
        return '\n'.join([head] + _table(header, rows))


def _pct(values):
    return '-' if not values else f'{100 * sum(values) / len(values):.1f}%'


def _finite(values, pick):
    kept = [v for v in values if v is not None]
    return pick(kept) if kept else None


class DatasetStats(dict):
    """Statistics over a dataset: ``modelId``, ``env``, ``win``, ``deadWin``, ``inputs``, ``batch``, ``runs``,
    ``provider``, ``timings`` and ``layers``. Each layer has ``node``, ``op``, ``tensor``, ``shape`` (one input's)
    and per-channel lists: ``min``, ``max``, ``mean``, ``std`` (None where a channel had no finite value),
    ``zeros`` (fraction of exact zeros), ``dead`` (fraction of inputs on which the channel is all zero),
    ``deadChannels``, ``nan``, ``inf``, ``top`` (the indices of the inputs with the highest mean activation),
    and for clamping ops ``bounds`` and ``saturated`` (fraction of values at a bound)."""

    def layer(self, name):
        """The layer whose node or tensor is ``name``, else the first whose node contains it."""
        layers = self['layers']
        exact = [l for l in layers if name in (l['node'], l['tensor'])]
        found = exact or [l for l in layers if name in l['node']]
        if not found:
            raise KeyError(f"no layer named {name!r}: {[l['node'] for l in layers]}")
        return found[0]

    def dead_channels(self):
        """``{node: [channel, ...]}`` for the layers with channels that are zero on every input."""
        return {l['node']: l['deadChannels'] for l in self['layers'] if l['deadChannels']}

    def format(self):
        """One line per layer: its range and mean, dead channels, zeros, saturation and NaN/Inf counts."""
        header = ['layer', 'op', 'shape', 'min', 'mean', 'max', 'dead', 'zeros', 'saturated', 'nan/inf']
        rows = []
        for l in self['layers']:
            mean = _finite(l['mean'], lambda v: sum(v) / len(v))
            rows.append([
                l['node'], l['op'], str(l['shape']), _fixed(_finite(l['min'], min)), _fixed(mean), _fixed(_finite(l['max'], max)),
                f"{len(l['deadChannels'])}/{len(l['dead'])}", _pct(l['zeros']), _pct(l.get('saturated')), f"{sum(l['nan'])}/{sum(l['inf'])}",
            ])
        head = f"{self['inputs']} inputs in {self['runs']} runs on {self['provider']}: {self['timings']['totalMs']:.0f} ms"
        return '\n'.join([head] + _table(header, rows))


class Attribution(dict):
    """An attribution's answer: ``method``, ``target`` (and ``targetLabel``), ``score``, ``passes``, ``shape``
    (``[H, W]``), ``heatmap`` (row-major values), ``win``/``heatmapWin``, and Score-CAM's ``layer``, ``scores``
    and ``weights`` or occlusion's ``patch``, ``stride`` and ``fill``."""

    @property
    def heatmap(self):
        """The heatmap as a ``(H, W)`` float32 numpy array."""
        import numpy as np

        return np.asarray(self['heatmap'], dtype=np.float32).reshape(self['shape'])

    def format(self):
        label = f" ({self['targetLabel']})" if 'targetLabel' in self else ''
        return (f"{self['method']} of class {self['target']}{label}, score {_fixed(self['score'])}: "
                f"{self['passes']} passes in {self['runs']} runs, map {self['shape'][0]}x{self['shape'][1]} in {self['win']}")


class Filters(dict):
    """``model:filters``' answer: ``modelId``, ``env`` and ``layers`` (node, shape, min, max, win, histogramWin)."""

    def format(self):
        rows = [[l['node'], str(l['shape']), _fixed(l['min']), _fixed(l['max']), l['win']] for l in self['layers']]
        return '\n'.join(_table(['layer', 'shape', 'min', 'max', 'window'], rows))


class Compare(dict):
    """Two runs compared layer by layer: ``a``, ``b`` (run infos), ``layers`` and ``unmatched``."""

    def format(self):
        rows = [[l['id'], l['op'], _fixed(l['cosine'], 4), _fixed(l['relL2'], 4), _fixed(l['meanAbsDiff'], 4)] for l in self['layers']]
        head = f"{self['a']['runId']} -> {self['b']['runId']}"
        return '\n'.join([head] + _table(['layer', 'op', 'cosine', 'relL2', 'mean|A-B|'], rows))


class Window(dict):
    """A window write's answer: ``env``, ``win`` and ``rev``."""

    def format(self):
        return f"{self['env']}/{self['win']} (rev {self['rev']})"
