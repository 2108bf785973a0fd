/** Window → plotly figure. */
import type { Window } from '@cnnvis/protocol';
import { buildFigure } from '../src/render/plot-figure';

const win = (over: Partial<Window> = {}): Window => ({
  env: 'main',
  id: 'loss',
  kind: 'plot',
  opts: {},
  content: {
    kind: 'plot',
    traces: [
      { name: 'train', type: 'scatter', x: [1, 2], y: [0.5, 0.4] },
      { name: 'val', type: 'scatter', mode: 'markers', x: [1], y: [0.6] },
    ],
  },
  rev: 3,
  position: 0,
  layout: null,
  updatedAt: 0,
  ...over,
});

test('traces keep their cnnvis name in meta and get copies of the arrays', () => {
  const w = win({ opts: { legend: ['Train loss'], markersize: 3, xlabel: 'step', ytype: 'log' } });
  const { data, layout } = buildFigure(w);
  expect(data[0]).toMatchObject({ name: 'Train loss', meta: 'train', mode: 'lines', x: [1, 2] });
  expect(data[1]).toMatchObject({ name: 'val', meta: 'val', mode: 'markers', marker: { size: 3 } });
  const source = w.content.kind === 'plot' ? w.content.traces[0]?.x : undefined;
  expect(data[0]?.['x']).not.toBe(source); // plotly's extendTraces mutates what it holds
  expect(layout).toMatchObject({ showlegend: true, datarevision: 3, yaxis: { type: 'log' } });
  expect(layout['xaxis']).toMatchObject({ title: { text: 'step' } });
});

test('heatmaps get a colorscale and value range; stacked bars stack', () => {
  const { data, layout } = buildFigure(
    win({
      opts: { colormap: 'Hot', zmin: 0, zmax: 1, stacked: true },
      content: { kind: 'plot', traces: [{ name: 'cm', type: 'heatmap', z: [[0, 1], [1, 0]] }] },
    }),
  );
  expect(data[0]).toMatchObject({ type: 'heatmap', colorscale: 'Hot', zmin: 0, zmax: 1, z: [[0, 1], [1, 0]] });
  expect(layout['barmode']).toBe('stack');
  expect(layout['showlegend']).toBeUndefined();
});
