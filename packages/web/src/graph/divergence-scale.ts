/**
 * Colouring the graph by how much each layer changed between two compared
 * runs (‖A−B‖/‖A‖), so the layer where two inputs part ways stands out. A
 * folded group takes its most changed layer's value.
 * @module
 */
import type { CompareResult } from '@cnnvis/protocol';
import type { StatScale } from './stat-scale';
import type { VisibleNode } from './visible-graph';

/**
 * @example
 * scene.scale = divergenceScale(vis.nodes, await runs.compare(a, b));
 */
export function divergenceScale(nodes: readonly VisibleNode[], result: CompareResult): StatScale {
  const byLayer = new Map<string, number>();
  for (const l of result.layers) if (l.relL2 !== null && Number.isFinite(l.relL2) && !byLayer.has(l.id)) byLayer.set(l.id, l.relL2);
  const values = new Map<string, number>();
  for (const node of nodes) {
    const vs = (node.layer ? [node.layer.id] : node.members ?? []).flatMap((id) => {
      const v = byLayer.get(id);
      return v === undefined ? [] : [v];
    });
    if (vs.length > 0) values.set(node.id, Math.max(...vs));
  }
  const max = Math.max(0, ...values.values());
  return { stat: 'change', values, min: 0, max: max > 0 ? max : 1 };
}
