/** Layout input building and reading, checked against a real ELK layout (elkjs's Node build). */
import ELK from 'elkjs/lib/elk.bundled.js';
import { buildGroupTree, initialCollapsed } from '../src/graph/groups';
import { buildLayoutInput, COMPOUND_LIMIT, NODE, nodeSize } from '../src/graph/layout-input';
import { midpoint, readLayout, type GraphLayout, type Rect } from '../src/graph/layout-result';
import { createSyntheticGraph } from '../src/graph/synthetic-graph';
import { buildVisibleGraph } from '../src/graph/visible-graph';
import { centerOn, fitRect, hitTest, intersects, toGraph, visibleArea, zoomAt } from '../src/graph/viewport';

const measure = (text: string, style: 'title' | 'subtitle') => text.length * (style === 'title' ? 7 : 6);
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.w <= outer.x + outer.w + 0.5 && inner.y + inner.h <= outer.y + outer.h + 0.5;

async function layOut(layers: number, budget: number): Promise<GraphLayout> {
  const { graph } = createSyntheticGraph(layers);
  const tree = buildGroupTree(graph);
  const vis = buildVisibleGraph(graph, tree, initialCollapsed(tree, graph.nodes.length, budget));
  return readLayout(await new ELK().layout(buildLayoutInput(vis, measure)), vis);
}

test('node sizes follow their text within bounds', () => {
  const base = { id: 'L:x', kind: 'layer' as const, parent: null };
  expect(nodeSize({ ...base, title: 'Relu', subtitle: 'r' }, measure)).toEqual({ width: NODE.minWidth, height: NODE.height });
  expect(nodeSize({ ...base, title: 'BatchNormalization', subtitle: 'bn1' }, measure).width).toBe(18 * 7 + 2 * NODE.padX);
  expect(nodeSize({ ...base, title: 'x'.repeat(200), subtitle: '' }, measure).width).toBe(NODE.maxWidth);
  expect(nodeSize({ ...base, kind: 'input', title: 'x', subtitle: '' }, measure).height).toBe(NODE.ioHeight);
});

test('groups become compound nodes while the graph is small, and flat past the limit', () => {
  const { graph } = createSyntheticGraph(120);
  const tree = buildGroupTree(graph);
  const vis = buildVisibleGraph(graph, tree, new Set());
  const input = buildLayoutInput(vis, measure);
  expect(input.layoutOptions?.['elk.hierarchyHandling']).toBe('INCLUDE_CHILDREN');
  const top = input.children?.map((c) => c.id) ?? [];
  expect(top).toContain('G:layer1');
  expect(top).not.toContain('L:/layer1/layer1.0/conv1/Conv');
  expect(input.edges).toHaveLength(vis.edges.length);

  const big = createSyntheticGraph(COMPOUND_LIMIT + 50).graph;
  const bigTree = buildGroupTree(big);
  const flat = buildLayoutInput(buildVisibleGraph(big, bigTree, new Set()), measure);
  expect(flat.layoutOptions?.['elk.hierarchyHandling']).toBeUndefined();
  expect(flat.children?.every((c) => c.children === undefined)).toBe(true);
  expect(flat.layoutOptions?.['elk.layered.crossingMinimization.strategy']).toBe('NONE');
});

test('a laid-out graph: every node placed, none overlapping, frames around their members, edges routed', async () => {
  const layout = await layOut(120, 1000);
  expect(layout.nodes.length).toBe(120 + 2); // layers, the input and the output
  expect(layout.boxes.length).toBeGreaterThan(0);
  for (let i = 0; i < layout.nodes.length; i++) {
    for (let j = i + 1; j < layout.nodes.length; j++) {
      const [a, b] = [layout.nodes[i], layout.nodes[j]];
      if (a && b) expect(overlap(a, b)).toBe(false);
    }
  }
  for (const placed of layout.nodes) {
    const parent = placed.node.parent === null ? undefined : layout.byId.get(placed.node.parent);
    if (parent) expect(contains(parent, placed)).toBe(true);
  }
  expect(layout.edges.length).toBeGreaterThan(120);
  for (const e of layout.edges) {
    expect(e.points.length).toBeGreaterThanOrEqual(4);
    const from = layout.byId.get(e.edge.from);
    if (from) expect(Math.abs((e.points[1] ?? 0) - (from.y + from.h))).toBeLessThan(1); // leaves the bottom of its source
  }
  const first = layout.byId.get('I:input');
  const last = layout.nodes.find((n) => n.node.kind === 'output');
  expect(first && last && first.y < last.y).toBe(true); // top to bottom
  const conv = layout.byId.get('L:/conv1/Conv');
  if (!conv) throw new Error('no conv1');
  expect(hitTest(layout, conv.x + 2, conv.y + 2)?.placed.node.id).toBe('L:/conv1/Conv');
  const frame = layout.byId.get('G:layer1');
  if (!frame) throw new Error('no frame for layer1');
  expect(hitTest(layout, frame.x + 3, frame.y + 3)).toMatchObject({ type: 'box' });
  expect(hitTest(layout, -50, -50)).toBeNull();
});

test('a collapsed 1,000-layer graph lays out as group boxes', async () => {
  const layout = await layOut(1000, 150);
  expect(layout.nodes.length).toBeLessThanOrEqual(152);
  expect(layout.nodes.some((n) => n.node.kind === 'group')).toBe(true);
  expect(layout.width).toBeGreaterThan(0);
});

test('edge midpoints, and the viewport transform', () => {
  expect(midpoint([0, 0, 0, 10, 10, 10])).toEqual({ x: 0, y: 10 });
  expect(midpoint([0, 0, 0, 4])).toEqual({ x: 0, y: 2 });
  const z = zoomAt({ x: 0, y: 0, k: 1 }, 2, 100, 50);
  expect(z).toEqual({ x: -100, y: -50, k: 2 });
  expect(toGraph(z, 100, 50)).toEqual({ x: 100, y: 50 }); // the point under the cursor stays put
  expect(zoomAt({ x: 0, y: 0, k: 1 }, 1e9, 0, 0).k).toBe(4);
  expect(fitRect({ x: 0, y: 0, w: 100, h: 100 }, 300, 300, 50, 4)).toEqual({ k: 2, x: 50, y: 50 });
  expect(fitRect({ x: 0, y: 0, w: 100, h: 100 }, 300, 300, 50).k).toBe(1); // never past maxK
  const c = centerOn(500, 200, 400, 300, 1);
  expect(visibleArea(c, 400, 300)).toEqual({ x: 300, y: 50, w: 400, h: 300 });
  expect(intersects({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 10, w: 1, h: 1 })).toBe(true);
  expect(intersects({ x: 0, y: 0, w: 10, h: 10 }, { x: 11, y: 0, w: 1, h: 1 })).toBe(false);
});
