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
