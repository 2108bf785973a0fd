/**
 * Walking the graph from the open layer: the next or previous node in model order, and each
 * tensor's producer and consumers. A layer in a folded group counts; the caller opens it.
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';
import { shortName } from './labels';
import { layerKey, type VisibleGraph } from './visible-graph';

/** A tensor of the open node and where it leads. */
export interface TensorLink {
  tensor: string;
  role: 'input' | 'output';
  /** The producer (for an input) or the consumers (for an output) that can be opened. */
  targets: Array<{ id: string; label: string }>;
}

/** Layers the visible graph shows, drawn or folded into a group box. */
function shownLayers(vis: VisibleGraph): Set<string> {
  const shown = new Set<string>();
  for (const n of vis.nodes) {
    if (n.kind === 'layer') shown.add(n.id);
    for (const m of n.members ?? []) shown.add(layerKey(m));
  }
  return shown;
}

/**
 * Every node a user can step to, in model order.
 * @example layerSequence(graph, vis) // ['I:x', 'L:/stem/Conv', …, 'O:logits']
 */
export function layerSequence(graph: LayerGraph, vis: VisibleGraph): string[] {
  const shown = shownLayers(vis);
  const io = vis.nodes.filter((n) => n.kind === 'input' || n.kind === 'output');
  const layers = graph.nodes.map((n) => layerKey(n.id)).filter((id) => shown.has(id));
  return [...io.filter((n) => n.kind === 'input').map((n) => n.id), ...layers, ...io.filter((n) => n.kind === 'output').map((n) => n.id)];
}

/**
 * The id `direction` steps away from `current`, or null at either end.
 * @example stepFrom(['a', 'b', 'c'], 'b', 1) // 'c'
 */
export function stepFrom(sequence: readonly string[], current: string, direction: 1 | -1): string | null {
  const at = sequence.indexOf(current);
  if (at < 0) return null;
  return sequence[at + direction] ?? null;
}

/**
 * The tensors of visible node `id` with the nodes they come from and go to.
 * @example tensorLinks(graph, vis, 'L:/relu/Relu')[0] // { tensor: 'conv_out', role: 'input', targets: [{ id: 'L:/conv/Conv', label: 'Conv · conv' }] }
 */
export function tensorLinks(graph: LayerGraph, vis: VisibleGraph, id: string): TensorLink[] {
  const shown = new Set([...shownLayers(vis), ...vis.nodes.filter((n) => n.kind !== 'layer').map((n) => n.id)]);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = new Map(graph.edges.map((e) => [e.tensor, e]));
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const layerTarget = (layerId: string) => {
    const layer = byId.get(layerId);
    return { id: layerKey(layerId), label: layer ? `${layer.op} · ${shortName(layer.id, layer.op)}` : layerId };
  };
  const link = (tensor: string, role: TensorLink['role']): TensorLink => {
    const edge = edges.get(tensor);
    const targets =
      role === 'input'
        ? [edge?.from ? layerTarget(edge.from) : { id: `I:${tensor}`, label: 'model input' }]
        : [...(edge?.to ?? []).map(layerTarget), ...(outputs.has(tensor) ? [{ id: `O:${tensor}`, label: 'model output' }] : [])];
    return { tensor, role, targets: targets.filter((t) => shown.has(t.id)) };
  };
  const layer = id.startsWith('L:') ? byId.get(id.slice(2)) : undefined;
  if (layer) return [...layer.inputs.map((t) => link(t, 'input')), ...layer.outputs.map((t) => link(t, 'output'))];
  if (id.startsWith('I:')) return [link(id.slice(2), 'output')];
  if (id.startsWith('O:')) return [link(id.slice(2), 'input')];
  return [];
}
