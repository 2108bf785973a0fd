/**
 * The `layers` option: keep a layer when its op equals a filter entry or its
 * node id contains one (`['Conv', 'layer1/']` keeps every conv and all of layer1).
 * Folded (weight-only) nodes are no layers: they never pass.
 * @module
 */
import type { LayerNode } from '@cnnvis/protocol';

/**
 * A predicate over nodes; every layer passes when `filters` is absent or empty.
 * @example
 * const keep = layerFilter(['Relu']); keep(node);
 */
export function layerFilter(filters: readonly string[] | undefined): (node: LayerNode) => boolean {
  if (!filters || filters.length === 0) return (node) => !node.folded;
  return (node) => !node.folded && filters.some((f) => node.op === f || node.id.includes(f));
}
