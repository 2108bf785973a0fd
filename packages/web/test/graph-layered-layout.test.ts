/** Our own layered layout (used past 600 visible nodes): layering, ordering, placement and the drawing they make. */
import { createRandom } from '../../../test/support/random';
import { buildGroupTree } from '../src/graph/groups';
import { assembleLayered, layeredGeometry, layeredInput } from '../src/graph/layered-layout';
import { buildLayeredGraph } from '../src/graph/layering';
import { countCrossings, orderLayers } from '../src/graph/layer-order';
import { placeLayers } from '../src/graph/layer-placement';
import { nodeSize, type MeasureText } from '../src/graph/layout-input';
import type { GraphLayout, Rect } from '../src/graph/layout-result';
import { createSyntheticGraph } from '../src/graph/synthetic-graph';
import { buildVisibleGraph, type VisibleGraph } from '../src/graph/visible-graph';

/** The whole layered layout on this thread, as the page's worker client assembles it. */
function layOutLayered(vis: VisibleGraph, measure: MeasureText): GraphLayout {
  const { input, kept } = layeredInput(vis, measure);
  return assembleLayered(vis, input, kept, layeredGeometry(input));
}

const measure = (text: string, style: 'title' | 'subtitle') => text.length * (style === 'title' ? 7 : 6);
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function synthetic(layers: number): VisibleGraph {
  const { graph } = createSyntheticGraph(layers);
  return buildVisibleGraph(graph, buildGroupTree(graph), new Set());
}

/** A branchy DAG (edges only forward in node order, some skipping far), unlike the ResNet's one column. */
function randomDag(n: number, seed: number): VisibleGraph {
  const rnd = createRandom(seed);
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `L:${i}`, kind: 'layer' as const, title: i % 3 ? 'Conv' : 'BatchNormalization', subtitle: `n${i}`, parent: null }));
  const edges = new Map<string, VisibleGraph['edges'][number]>();
  for (let i = 1; i < n; i++) {
    for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
      const from = Math.max(0, i - 1 - Math.floor(rnd() * (rnd() < 0.2 ? 40 : 4)));
      const id = `L:${from}\u2192L:${i}`;
      edges.set(id, { id, from: `L:${from}`, to: `L:${i}`, tensor: id, label: '', count: 1 });
    }
  }
  return { nodes, edges: [...edges.values()], boxes: [] };
}

/** Does the segment (x0,y0)–(x1,y1) pass through the inside of `r` (shrunk by 1 px)? Sampled finely enough for boxes ≥ 30 px. */
function crosses(r: Rect, x0: number, y0: number, x1: number, y1: number): boolean {
  const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 2) + 1;
  for (let s = 0; s <= steps; s++) {
    const [x, y] = [x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps];
    if (x > r.x + 1 && x < r.x + r.w - 1 && y > r.y + 1 && y < r.y + r.h - 1) return true;
  }
  return false;
}

function expectWellFormed(layout: GraphLayout, vis: VisibleGraph): void {
  // Every node gets its box, at its size.
  expect(layout.nodes.map((p) => p.node.id)).toEqual(vis.nodes.map((n) => n.id));
  for (const p of layout.nodes) expect({ width: p.w, height: p.h }).toEqual(nodeSize(p.node, measure));
  // No two boxes overlap (sorted by top, so only near neighbours are compared).
  const byTop = [...layout.nodes].sort((a, b) => a.y - b.y);
  for (let i = 0; i < byTop.length; i++) {
    for (let j = i + 1; j < byTop.length && (byTop[j]?.y ?? 0) < (byTop[i]?.y ?? 0) + (byTop[i]?.h ?? 0); j++) {
      const [a, b] = [byTop[i], byTop[j]];
      if (a && b && overlap(a, b)) throw new Error(`${a.node.id} overlaps ${b.node.id}`);
    }
  }
  for (const p of layout.nodes) {
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.x + p.w).toBeLessThanOrEqual(layout.width);
    expect(p.y + p.h).toBeLessThanOrEqual(layout.height);
  }
  // Every edge: from the bottom of its source to the top of its target, always downwards, through no other box.
  expect(layout.edges.map((e) => e.edge.id)).toEqual(vis.edges.map((e) => e.id));
  for (const e of layout.edges) {
    const [from, to] = [layout.byId.get(e.edge.from), layout.byId.get(e.edge.to)];
    if (!from || !to) throw new Error(`edge ${e.edge.id} lost an end`);
    const n = e.points.length;
    expect(e.points[1]).toBeCloseTo(from.y + from.h);
    expect(e.points[n - 1]).toBeCloseTo(to.y);
    expect(e.points[0]).toBeGreaterThanOrEqual(from.x);
    expect(e.points[0]).toBeLessThanOrEqual(from.x + from.w);
    expect(e.points[n - 2]).toBeGreaterThanOrEqual(to.x);
    expect(e.points[n - 2]).toBeLessThanOrEqual(to.x + to.w);
    for (let i = 3; i < n; i += 2) expect(e.points[i]).toBeGreaterThan((e.points[i - 2] ?? 0) - 1e-9);
    // The shape label sits on the edge, clear of every box.
    const label = e.label;
    if (label === null) throw new Error(`${e.edge.id} has no label spot`);
    let onPath = false;
    for (let i = 2; i < n; i += 2) {
      const [x0, y0, x1, y1] = [e.points[i - 2] ?? 0, e.points[i - 1] ?? 0, e.points[i] ?? 0, e.points[i + 1] ?? 0];
      const t = Math.max(0, Math.min(1, ((label.x - x0) * (x1 - x0) + (label.y - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2 || 1)));
      onPath ||= Math.hypot(x0 + t * (x1 - x0) - label.x, y0 + t * (y1 - y0) - label.y) < 0.5;
    }
    expect(onPath).toBe(true);
    const covering = layout.nodes.find((p) => crosses(p, label.x, label.y, label.x, label.y));
    expect(covering?.node.id).toBeUndefined();
    for (const p of layout.nodes) {
      if (p === from || p === to || !overlap(p, e.bounds)) continue;
      for (let i = 2; i < n; i += 2) {
        if (crosses(p, e.points[i - 2] ?? 0, e.points[i - 1] ?? 0, e.points[i] ?? 0, e.points[i + 1] ?? 0)) throw new Error(`${e.edge.id} runs through ${p.node.id}`);
      }
    }
  }
}

test('layering: every edge joins neighbouring layers, long ones through a chain of dummies', () => {
  const lg = buildLayeredGraph(4, [[0, 1], [1, 2], [2, 3], [0, 3]]);
  expect(lg.layer.slice(0, 4)).toEqual([0, 1, 2, 3]);
  expect(lg.chains[3]).toEqual([0, 4, 5, 3]); // two dummies for the edge that skips two layers
  expect(lg.layer.slice(4)).toEqual([1, 2]);
  expect(lg.dummyEdge).toEqual([3, 3]);
  lg.down.forEach((below, v) => below.forEach((w) => expect(lg.layer[w]).toBe((lg.layer[v] ?? 0) + 1)));
  // A source sits just above its first consumer, not at the top.
  expect(buildLayeredGraph(4, [[0, 1], [1, 2], [3, 2]]).layer).toEqual([0, 1, 2, 1]);
});

test('layering: a cycle is broken by turning round the edge that points back in node order', () => {
  const lg = buildLayeredGraph(3, [[0, 1], [1, 2], [2, 0]]);
  expect(lg.reversed).toEqual([false, false, true]);
  expect(lg.layer.slice(0, 3)).toEqual([0, 1, 2]);
});

test('ordering removes crossings the model order has', () => {
  // Two parallel chains whose second layer comes in the wrong order.
  const lg = buildLayeredGraph(6, [[0, 3], [1, 2], [2, 4], [3, 5]]);
  const naive = lg.layers.map((l) => [...l]);
  expect(countCrossings(lg, naive)).toBe(1);
  expect(countCrossings(lg, orderLayers(lg))).toBe(0);
});

test('placement keeps each layer in order with its gaps, and a chain straight', () => {
  const lg = buildLayeredGraph(5, [[0, 1], [1, 2], [2, 3], [0, 3], [4, 3]]);
  const order = orderLayers(lg);
  const widths = lg.layer.map((_, v) => (v < lg.real ? 80 : 0));
  const x = placeLayers(lg, order, { widths, gap: (a, b) => (a || b ? 14 : 24) });
  for (const layer of order) {
    for (let i = 1; i < layer.length; i++) {
      const [a, b] = [layer[i - 1] ?? 0, layer[i] ?? 0];
      const least = ((widths[a] ?? 0) + (widths[b] ?? 0)) / 2 + (a >= lg.real || b >= lg.real ? 14 : 24);
      expect((x[b] ?? 0) - (x[a] ?? 0)).toBeGreaterThanOrEqual(least - 1e-6);
    }
  }
  expect(x[1]).toBeCloseTo(x[0] ?? 0, 0); // 0→1→2 is the main path: the skip edge 0→3 steps aside
  expect(x[2]).toBeCloseTo(x[1] ?? 0, 0);
});

test('a 1,000-layer ResNet: well formed, one straight column, skip edges beside it', () => {
  const vis = synthetic(1000);
  const layout = layOutLayered(vis, measure);
  expectWellFormed(layout, vis);
  expect(layout.boxes).toEqual([]); // flat, as ELK's fast tier
  const centres = layout.nodes.filter((p) => p.node.kind === 'layer').map((p) => p.x + p.w / 2);
  expect(Math.max(...centres) - Math.min(...centres)).toBeLessThan(5); // the main path does not drift
  expect(layout.width).toBeLessThan(400);
  // Each skip edge (maxpool or a block's last relu → the next add) bends out once and back once.
  const skip = layout.edges.find((e) => e.edge.id === 'L:/maxpool/MaxPool\u2192L:/layer1/layer1.0/add/Add');
  expect(skip?.points).toHaveLength(8);
});

test('a branchy random DAG is well formed too, and the same every time', () => {
  const vis = randomDag(400, 7);
  const layout = layOutLayered(vis, measure);
  expectWellFormed(layout, vis);
  const again = layOutLayered(randomDag(400, 7), measure);
  expect(again.nodes.map((p) => [p.x, p.y])).toEqual(layout.nodes.map((p) => [p.x, p.y]));
  expect(again.edges.map((e) => e.points)).toEqual(layout.edges.map((e) => e.points));
});

test('a graph with a cycle still places every node; the turned edge is drawn from its source to its target', () => {
  const base = randomDag(30, 3);
  const link = (from: number, to: number) => ({ id: `L:${from}\u2192L:${to}`, from: `L:${from}`, to: `L:${to}`, tensor: 'x', label: '', count: 1 });
  const loop = [link(5, 20), link(20, 5)];
  const layout = layOutLayered({ ...base, edges: [...base.edges.filter((e) => e.id !== loop[0]?.id), ...loop] }, measure);
  expect(layout.nodes).toHaveLength(30);
  const directions = loop.map((edge) => {
    const drawn = layout.edges.find((e) => e.edge === edge);
    const [from, to] = [layout.byId.get(edge.from), layout.byId.get(edge.to)];
    if (!drawn || !from || !to) throw new Error(`${edge.id} was not drawn`);
    const last = drawn.points[drawn.points.length - 1];
    if (drawn.points[1] === from.y + from.h && last === to.y) return 'down';
    if (drawn.points[1] === from.y && last === to.y + to.h) return 'up'; // turned round: leaves the top of its source
    return 'astray';
  });
  expect([...directions].sort()).toEqual(['down', 'up']);
});
