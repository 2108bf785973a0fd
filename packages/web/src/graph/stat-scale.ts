/**
 * Colouring graph nodes by a statistic of the run: the value of each visible
 * node (a collapsed group aggregates its layers), and the domain the colours
 * span. Outliers (the logits of the last layer, say) are clipped to the 2nd
 * and 98th percentiles so they do not wash out every other layer.
 * @module
 */
import type { AnalysisRun, LayerResult } from '@cnnvis/protocol';
import type { VisibleNode } from './visible-graph';

export const NODE_STATS = ['none', 'mean', 'std', 'zeros', 'nan'] as const;
export type NodeStat = (typeof NODE_STATS)[number];

/** `change`: a compare's relative L2 change per layer (see runs/divergence-scale.ts); not a run's statistic. */
export const STAT_LABELS: Record<NodeStat | 'change', string> = {
  none: 'op type',
  change: 'change A→B (‖A−B‖/‖A‖)',
  mean: 'mean',
  std: 'std',
  zeros: '% zeros',
  nan: 'NaN / Inf',
};

export interface StatScale {
  stat: Exclude<NodeStat, 'none'> | 'change';
  /** Value per visible node id; absent when the run has nothing for it. */
  values: ReadonlyMap<string, number>;
  min: number;
  max: number;
}

/** One layer's value of `stat`, or null. For `nan` it is the count of NaN and Inf values. */
function layerStat(result: LayerResult, stat: StatScale['stat']): number | null {
  const s = result.stats;
  switch (stat) {
    case 'mean':
      return s.mean;
    case 'std':
      return s.std;
    case 'zeros':
      return s.zeros;
    case 'nan':
      return s.nan + s.inf;
    case 'change':
      return null;
  }
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
export function buildStatScale(nodes: readonly VisibleNode[], run: AnalysisRun | null, stat: NodeStat): StatScale | null {
  if (stat === 'none' || run === null) return null;
  const byNode = new Map<string, LayerResult>();
  for (const r of run.layers) if (!byNode.has(r.node)) byNode.set(r.node, r);
  const values = new Map<string, number>();
  for (const node of nodes) {
    const ids = node.layer ? [node.layer.id] : node.members ?? [];
    const vs = ids.map((id) => byNode.get(id)).flatMap((r) => (r ? [layerStat(r, stat)] : [])).filter((v): v is number => v !== null && Number.isFinite(v));
    if (vs.length === 0) continue;
    // A group: NaNs add up (one bad layer is enough), the rest average.
    values.set(node.id, stat === 'nan' ? vs.reduce((a, b) => a + b, 0) : vs.reduce((a, b) => a + b, 0) / vs.length);
  }
  const sorted = [...values.values()].sort((a, b) => a - b);
  if (stat === 'zeros') return { stat, values, min: 0, max: 1 };
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
