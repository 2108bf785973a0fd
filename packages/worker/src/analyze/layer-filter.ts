/**
 * The `layers` option: keep a layer when its op equals a filter entry or its node id contains one
 * (`['Conv', 'layer1/']` keeps every conv and all of layer1). Folded (weight-only) nodes never
 * pass.
 * @module
 */
import type { LayerNode } from '@cnnvis/protocol';

/**
 * The `layers` option: keep a layer whose op equals an entry or whose node id contains one;
 * all when absent or empty. Folded (weight-only) nodes never pass.
 */
export function layerFilter(filters: readonly string[] | undefined): (node: LayerNode) => boolean {
  if (!filters || filters.length === 0) return (node) => !node.folded;
  return (node) => !node.folded && filters.some((f) => node.op === f || node.id.includes(f));
}
