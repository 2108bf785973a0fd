/** The pure parts of the Visdom-compatible panes: plotly passthrough, network layout, image history and clicks, property values. */
import type { Window } from '@cnnvis/protocol';
import { historyIndex, imagePixel } from '../src/render/image-view';
import { clubColors, layoutLayered, layoutNetwork } from '../src/render/network-layout';
import { edgePath, fitToPane } from '../src/render/network-view';
import { buildFigure, deepMerge } from '../src/render/plot-figure';
import { parseFieldValue, selectIndex } from '../src/render/properties-view';

const plot = (content: Extract<Window['content'], { kind: 'plot' }>): Window => ({
  env: 'main', id: 'p', kind: 'plot', opts: {}, content, rev: 2, position: 0, layout: null, updatedAt: 0,
});

describe('plotly passthrough', () => {
  test('a trace’s plotly record merges over cnnvis styling, nested objects merged, arrays replaced', () => {
    const { data } = buildFigure(plot({
      kind: 'plot',
      traces: [{ name: 't', type: 'scatter', x: [1, 2], y: [3, 4], plotly: { line: { dash: 'dot' }, marker: { color: ['red', 'blue'] }, fill: 'tozeroy', meta: 'x' } }],
    }));
    expect(data[0]).toMatchObject({ type: 'scatter', fill: 'tozeroy', line: { dash: 'dot', width: 2 }, marker: { color: ['red', 'blue'], size: 6 } });
    expect(data[0]?.['meta']).toBe('t'); // appends find traces by meta: the passthrough cannot break that
  });

  test('any plotly type is drawn with its passthrough attributes; z goes through for 3-D types', () => {
    const { data } = buildFigure(plot({
      kind: 'plot',
      traces: [
        { name: 's', type: 'surface', z: [[1, 2], [3, 4]], plotly: { colorscale: 'Hot' } },
        { name: 'pie', type: 'pie', plotly: { values: [1, 2, 3], labels: ['a', 'b', 'c'] } },
      ],
    }));
    expect(data[0]).toMatchObject({ type: 'surface', z: [[1, 2], [3, 4]], colorscale: 'Hot' });
    expect(data[1]).toMatchObject({ type: 'pie', values: [1, 2, 3], labels: ['a', 'b', 'c'] });
  });

  test('an empty axis the store hands back is dropped, or numbered for a line', () => {
    const { data } = buildFigure(plot({
      kind: 'plot',
      traces: [
        { name: 'b', type: 'box', x: [], y: [1, 2, 3] },
        { name: 'l', type: 'scatter', x: [], y: [5, 6] },
        { name: 'h', type: 'histogram', x: [1, 2], y: [] },
        { name: 'e', type: 'scatter', x: [], y: [] },
      ],
    }));
    expect(data[0]?.['x']).toBeUndefined();
    expect(data[1]?.['x']).toEqual([0, 1]);
    expect(data[2]?.['y']).toBeUndefined();
    expect(data[3]).toMatchObject({ x: [], y: [] });
  });

  test('content.layout wins over cnnvis’s layout, but datarevision stays cnnvis’s', () => {
    const { layout } = buildFigure(plot({
      kind: 'plot',
      traces: [{ name: 't', type: 'scatter', x: [1], y: [1] }],
      layout: { title: { text: 'Visdom' }, xaxis: { title: { text: 'epoch' } }, margin: { l: 80 }, showlegend: true, datarevision: 99 },
    }));
    expect(layout).toMatchObject({ title: { text: 'Visdom' }, showlegend: true, margin: { l: 80, r: 12 }, datarevision: 2 });
    expect(layout['xaxis']).toMatchObject({ title: { text: 'epoch' }, gridcolor: '#eef0f3' });
  });

  test('deepMerge ignores prototype keys and copies arrays', () => {
    const arr = [1, 2];
    const out = deepMerge({ a: { b: 1 } }, JSON.parse('{"__proto__": {"polluted": 1}, "a": {"c": 2}, "d": [1, 2]}') as Record<string, unknown>);
    expect(out).toEqual({ a: { b: 1, c: 2 }, d: [1, 2] });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(deepMerge({}, { arr })['arr']).not.toBe(arr);
  });
});

describe('network layout', () => {
  const ring = Array.from({ length: 12 }, (_, i) => ({ source: i, target: (i + 1) % 12 }));

  test('is deterministic and stays in the unit square', () => {
    const a = layoutNetwork(12, ring);
    expect(layoutNetwork(12, ring)).toEqual(a);
    for (const p of a) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(1);
    }
  });

  test('linked nodes end up closer than unlinked ones, and no two nodes overlap', () => {
    const edges = [{ source: 0, target: 1 }, { source: 1, target: 2 }, { source: 2, target: 0 }, { source: 3, target: 4 }, { source: 4, target: 5 }, { source: 5, target: 3 }, { source: 0, target: 3 }];
    const pos = layoutNetwork(6, edges);
    const d = (i: number, j: number) => Math.hypot((pos[i]?.x ?? 0) - (pos[j]?.x ?? 0), (pos[i]?.y ?? 0) - (pos[j]?.y ?? 0));
    expect((d(1, 2) + d(4, 5)) / 2).toBeLessThan((d(1, 4) + d(2, 5)) / 2);
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) expect(d(i, j)).toBeGreaterThan(0.05);
  });

  test('handles no nodes, one node and bad edge indices', () => {
    expect(layoutNetwork(0, [])).toEqual([]);
    expect(layoutNetwork(1, [{ source: 0, target: 5 }])).toEqual([{ x: 0.5, y: 0.5 }]);
  });

  test('a directed acyclic network is layered left to right; a cycle is not', () => {
    const dag = [{ source: 0, target: 1 }, { source: 1, target: 2 }, { source: 0, target: 3 }, { source: 3, target: 2 }, { source: 2, target: 4 }];
    const pos = layoutLayered(5, dag) ?? [];
    expect(pos.map((p) => p.x)).toEqual([0, 1 / 3, 2 / 3, 1 / 3, 1]);
    expect(pos[1]?.y).not.toBe(pos[3]?.y); // two nodes of one layer do not overlap
    expect(layoutLayered(3, [{ source: 0, target: 1 }, { source: 1, target: 2 }, { source: 2, target: 0 }])).toBeUndefined();
    expect(layoutLayered(3, [{ source: 0, target: 1 }, { source: 1, target: 0 }])).toBeUndefined();
    // A self-loop or an edge to no node is no cycle.
    expect(layoutLayered(2, [{ source: 0, target: 0 }, { source: 0, target: 1 }, { source: 1, target: 9 }])?.map((p) => p.x)).toEqual([0, 1]);
  });

  test('the drawing fills the pane, stretched at most 1.6× on one axis', () => {
    const chain = [{ x: 0, y: 0.5 }, { x: 0.5, y: 0.5 }, { x: 1, y: 0.5 }];
    const at = fitToPane(chain, 400, 200, 10);
    expect([at(0), at(2)]).toEqual([{ x: 10, y: 110 }, { x: 410, y: 110 }]);
    const square = fitToPane([{ x: 0, y: 0 }, { x: 1, y: 1 }], 400, 100, 0);
    expect(square(1).x - square(0).x).toBeCloseTo(160); // 100 px tall: 1.6 × 100 wide, not 400
    expect(square(0).x).toBeCloseTo(120);
  });

  test('edges run rim to rim; a bowed edge is a curve with its label on it', () => {
    expect(edgePath({ x: 0, y: 0 }, { x: 100, y: 0 }, 0)).toEqual({ d: 'M7,0L92,0', mid: { x: 50, y: 0 } });
    const bowed = edgePath({ x: 0, y: 0 }, { x: 100, y: 0 }, 20);
    expect(bowed.d).toMatch(/^M[\d.]+,-?[\d.]+Q50,20 /);
    expect(bowed.mid.y).toBeGreaterThan(5);
  });

  test('clubs get one colour each, in order of first appearance', () => {
    const c = clubColors(['a', 'b', 'a', undefined, 3]);
    expect(c[0]).toBe(c[2]);
    expect(new Set(c).size).toBe(4);
  });
});

describe('image history and clicks', () => {
  test('starts at selected, jumps to the newest on a new image, keeps the viewer’s choice otherwise', () => {
    expect(historyIndex({ count: 5, selected: 2 }, undefined)).toBe(2);
    expect(historyIndex({ count: 6, selected: 5 }, { count: 5, selected: 2, shown: 1 })).toBe(5);
    expect(historyIndex({ count: 5, selected: 2 }, { count: 5, selected: 2, shown: 4 })).toBe(4);
    expect(historyIndex({ count: 5, selected: 0 }, { count: 5, selected: 2, shown: 4 })).toBe(0);
    expect(historyIndex({ count: 3, selected: 9 }, undefined)).toBe(2);
  });

  test('click coordinates are in image pixels whatever the scaling', () => {
    // A 28×28 image drawn at 280×280: each image pixel is 10 CSS px.
    expect(imagePixel(15, 275, { width: 280, height: 280 }, { width: 28, height: 28 })).toEqual({ x: 1, y: 27 });
    // A 640×480 image drawn at 320×240.
    expect(imagePixel(100, 50, { width: 320, height: 240 }, { width: 640, height: 480 })).toEqual({ x: 200, y: 100 });
    expect(imagePixel(320, 240, { width: 320, height: 240 }, { width: 640, height: 480 })).toEqual({ x: 639, y: 479 });
  });
});

describe('property values', () => {
  test('a select’s value is an index, or a name looked up', () => {
    expect(selectIndex({ type: 'select', name: 's', value: 2, values: ['a', 'b', 'c'] })).toBe(2);
    expect(selectIndex({ type: 'select', name: 's', value: 'b', values: ['a', 'b', 'c'] })).toBe(1);
    expect(selectIndex({ type: 'select', name: 's', value: 'z', values: ['a'] })).toBe(0);
  });

  test('number fields send numbers and skip what is not one', () => {
    expect(parseFieldValue('number', '3.5')).toBe(3.5);
    expect(parseFieldValue('number', '')).toBeUndefined();
    expect(parseFieldValue('number', 'abc')).toBeUndefined();
    expect(parseFieldValue('text', '')).toBe('');
  });
});
