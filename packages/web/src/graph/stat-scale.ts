/**
 * Colouring graph nodes by a run or dataset statistic (a folded group aggregates its layers),
 * clipped to the 2nd–98th percentiles so an outlier layer does not wash out the rest.
 * @module
 */
import type { AnalysisRun, CompareResult, DatasetLayerStats, GraphDataset, LayerResult } from '@cnnvis/protocol';
import type { VisibleNode } from './visible-graph';

export const NODE_STATS = ['none', 'mean', 'std', 'zeros', 'nan', 'dead', 'saturated'] as const;
export type NodeStat = (typeof NODE_STATS)[number];
/** The statistics read from the window's dataset statistics rather than its run. */
export const DATASET_STATS: ReadonlySet<NodeStat> = new Set(['dead', 'saturated']);
/** Statistics that are fractions, drawn on a fixed 0…100% scale. */
const FRACTIONS: ReadonlySet<StatScale['stat']> = new Set(['zeros', 'dead', 'saturated']);

/** `change`: a compare's relative L2 change per layer (see divergenceScale); not a run's statistic. */
export const STAT_LABELS: Record<NodeStat | 'change', string> = {
  none: 'op type',
  change: 'change A→B (‖A−B‖/‖A‖)',
  mean: 'mean',
  std: 'std',
  zeros: '% zeros',
  nan: 'NaN / Inf',
  dead: 'dead (dataset)',
  saturated: 'saturated (dataset)',
};

export interface StatScale {
  stat: Exclude<NodeStat, 'none'> | 'change';
  /** Value per visible node id; absent when the run has nothing for it. */
  values: ReadonlyMap<string, number>;
  min: number;
  max: number;
}

/** One layer's value of a run statistic; for `nan`, the count of NaN and Inf values. */
const layerStat = (s: LayerResult['stats'], stat: 'mean' | 'std' | 'zeros' | 'nan'): number | null => (stat === 'nan' ? s.nan + s.inf : s[stat]);

/**
 * A layer's mean over its channels of the fraction of inputs on which the
 * channel is all zero (`dead`), or of its values at a clamp bound (`saturated`; null for a layer without bounds).
 */
function datasetStat(layer: DatasetLayerStats, stat: 'dead' | 'saturated'): number | null {
  const values = stat === 'dead' ? layer.dead : layer.saturated;
  return values === undefined || values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Whether `stat`'s values are fractions (shown as percentages). */
export const isFraction = (stat: StatScale['stat']) => FRACTIONS.has(stat);

/** Each node's value, the first given for it winning (a node with several outputs lists each). */
function byNode(entries: ReadonlyArray<readonly [string, number | null]>): Map<string, number | null> {
  const map = new Map<string, number | null>();
  for (const [node, v] of entries) if (!map.has(node)) map.set(node, v);
  return map;
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[i] ?? 0;
}

/**
 * @example
 * const scale = buildStatScale(vis.nodes, content.run, 'zeros');
 * statLevel(scale, scale.values.get('L:/relu/Relu')) // 0…1
 */
export function buildStatScale(nodes: readonly VisibleNode[], run: AnalysisRun | null, stat: NodeStat, dataset?: GraphDataset): StatScale | null {
  if (stat === 'none' || (DATASET_STATS.has(stat) ? dataset === undefined : run === null)) return null;
  const value = byNode(stat === 'dead' || stat === 'saturated' ? (dataset?.layers ?? []).map((l) => [l.node, datasetStat(l, stat)] as const) : (run?.layers ?? []).map((r) => [r.node, layerStat(r.stats, stat)] as const));
  const values = new Map<string, number>();
  for (const node of nodes) {
    const ids = node.layer ? [node.layer.id] : node.members ?? [];
    const vs = ids.map((id) => value.get(id)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (vs.length === 0) continue;
    // A group: NaNs add up (one bad layer is enough), the rest average.
    values.set(node.id, stat === 'nan' ? vs.reduce((a, b) => a + b, 0) : vs.reduce((a, b) => a + b, 0) / vs.length);
  }
  const sorted = [...values.values()].sort((a, b) => a - b);
  if (isFraction(stat)) return { stat, values, min: 0, max: 1 };
  if (stat === 'nan') return { stat, values, min: 0, max: Math.max(1, sorted[sorted.length - 1] ?? 1) };
  const clip = sorted.length >= 20;
  const min = clip ? percentile(sorted, 0.02) : sorted[0] ?? 0;
  const max = clip ? percentile(sorted, 0.98) : sorted[sorted.length - 1] ?? 1;
  return { stat, values, min, max: max > min ? max : min + 1 };
}

/**
 * Where `value` sits in the scale, 0…1 (clamped); null when there is none.
 * @example statLevel({ stat: 'zeros', values: new Map(), min: 0, max: 1 }, 0.25) // 0.25
 */
export function statLevel(scale: StatScale, value: number | undefined): number | null {
  if (value === undefined) return null;
  if (scale.stat === 'nan') return value > 0 ? 1 : 0;
  return Math.min(1, Math.max(0, (value - scale.min) / (scale.max - scale.min)));
}

/**
 * Colouring by how much each layer changed between two compared runs
 * (‖A−B‖/‖A‖), so the layer where two inputs part ways stands out; a folded
 * group takes its most changed layer's value.
 * @example
 * scene.scale = divergenceScale(vis.nodes, await runs.compare(a, b));
 */
export function divergenceScale(nodes: readonly VisibleNode[], result: CompareResult): StatScale {
  const byLayer = new Map<string, number>();
  for (const l of result.layers) if (l.relL2 !== null && Number.isFinite(l.relL2) && !byLayer.has(l.id)) byLayer.set(l.id, l.relL2);
  const values = new Map<string, number>();
  for (const node of nodes) {
    const ids = node.layer ? [node.layer.id] : node.members ?? [];
    const vs = ids.map((id) => byLayer.get(id)).filter((v) => v !== undefined);
    if (vs.length > 0) values.set(node.id, Math.max(...vs));
  }
  const max = Math.max(0, ...values.values());
  return { stat: 'change', values, min: 0, max: max > 0 ? max : 1 };
}
