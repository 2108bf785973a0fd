/** Conv layers' filter sets, from initializers (directly or through Identity nodes). @module */
import type { LayerNode } from '@cnnvis/protocol';
import { readFloatTensor } from '../onnx/tensor-data';
import type { LoadedModel } from '../runtime/loaded-model';
import { convFilters } from '../stats/filters';
import type { FilterSet } from './analyze-types';

/** Filters of every Conv node `keep` accepts, as `[O, I, kh, kw]` (1-D as `[O, I, 1, k]`). */
export function conv2dFilters(m: LoadedModel, keep: (node: LayerNode) => boolean): FilterSet[] {
  const sets: FilterSet[] = [];
  const protos = m.model.graph?.node ?? [];
  // An exporter may pass a weight through Identity nodes (torch.onnx.export does for equal tensors).
  const identityOf = new Map(protos.filter((n) => n.opType === 'Identity' && !n.domain).map((n) => [n.output[0], n.input[0]]));
  const stored = (name: string | undefined) => {
    for (let hops = 0; name !== undefined && hops <= identityOf.size; hops++) {
      const w = m.initializer.get(name);
      if (w) return w;
      name = identityOf.get(name);
    }
    return undefined;
  };
  m.graph.nodes.forEach((node, i) => {
    if (node.op !== 'Conv' || !keep(node)) return;
    const w = stored(protos[i]?.input[1]); // Conv's inputs are X, W, B
    if (!w) return;
    const data = readFloatTensor(w);
    const dims = w.dims.map(Number);
    if (!data || dims.length < 3 || dims.length > 4) return;
    const shape = dims.length === 3 ? [dims[0] ?? 0, dims[1] ?? 0, 1, dims[2] ?? 0] : dims;
    sets.push(convFilters(node.id, data, shape));
  });
  return sets;
}
