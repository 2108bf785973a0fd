/** The compare view's pure parts: A, B and A − B of a channel, and the graph's colouring by change. */
import type { CompareResult, LayerCompare, LayerNode } from '@cnnvis/protocol';
import { colormapLut } from '../src/graph/colormap';
import { channelDiff, toRgba } from '../src/graph/diff-map';
import { divergenceScale } from '../src/graph/stat-scale';
import type { VisibleNode } from '../src/graph/visible-graph';

test('A and B dequantised over one shared range; A − B over a range symmetric about 0', () => {
  const d = channelDiff({ bytes: Uint8Array.of(0, 255, 51), min: 0, max: 1 }, { bytes: Uint8Array.of(0, 0, 255), min: -1, max: 1 });
  expect(Array.from(d.a)).toEqual([0, 1, 0.2].map(Math.fround));
  expect(Array.from(d.b)).toEqual([-1, -1, 1]);
  expect(Array.from(d.diff)).toEqual([1, 2, Math.fround(0.2) - 1].map(Math.fround));
  expect([d.lo, d.hi, d.limit]).toEqual([-1, 1, 2]);
  // 0 lands on the diverging map's middle, ±limit on its ends.
  const lut = colormapLut('coolwarm');
  const px = toRgba(Float32Array.of(-2, 0, 2), lut, -2, 2);
  expect(Array.from(px.slice(0, 3))).toEqual(Array.from(lut.slice(0, 3)));
  expect(Array.from(px.slice(4, 7))).toEqual(Array.from(lut.slice(3 * 128, 3 * 128 + 3)));
  expect(Array.from(px.slice(8, 11))).toEqual(Array.from(lut.slice(3 * 255, 3 * 256)));
  expect([px[3], px[7], px[11]]).toEqual([255, 255, 255]);
});

const layer = (id: string, relL2: number | null): LayerCompare => ({ id, op: 'Conv', tensor: `${id}_out`, shape: [1, 1, 1, 1], cosine: 1, relL2, meanAbsDiff: 0, channels: [] });
const info = { runId: 'r', modelId: 'a'.repeat(64), modelName: null, step: null, label: null, createdAt: 0, inputShape: [], thumbnail: null };

test('the graph colours each layer by its relL2, a folded group by its most changed layer', () => {
  const result: CompareResult = { a: info, b: info, layers: [layer('c1', 0), layer('c2', 0.5), layer('c3', 2), layer('c4', null)], unmatched: [] };
  const node = (id: string): VisibleNode => ({ id: `L:${id}`, kind: 'layer', title: 'Conv', subtitle: id, parent: null, layer: { id } as LayerNode });
  const group: VisibleNode = { id: 'G:block', kind: 'group', title: 'block', subtitle: '2 layers', parent: null, group: 'block', members: ['c2', 'c3'] };
  const scale = divergenceScale([node('c1'), node('c4'), group], result);
  expect(scale.stat).toBe('change');
  expect([...scale.values]).toEqual([['L:c1', 0], ['G:block', 2]]);
  expect([scale.min, scale.max]).toEqual([0, 2]);
});
