/**
 * The `layers` option: keep a layer when its op equals a filter entry or its
 * node id contains one (`['Conv', 'layer1/']` keeps every conv and all of layer1).
 * @module
 */
import type { LayerNode } from '@cnnvis/protocol';

/**
 * A predicate over nodes; everything passes when `filters` is absent or empty.
 * @example
 * const keep = layerFilter(['Relu']); keep(node);
 */
export function layerFilter(filters: readonly string[] | undefined): (node: LayerNode) => boolean {
  if (!filters || filters.length === 0) return () => true;
  return (node) => filters.some((f) => node.op === f || node.id.includes(f));
}
