/**
 * The panel's "Filters" section: the weights a layer reads, each with its
 * shape (a folded node's output named with the node it comes from), and for a
 * conv its filters. Weights are never drawn as feature maps.
 * @module
 */
import type { GraphContent, LayerNode } from '@cnnvis/protocol';
import type { RunData } from '../../client/run-data';
import { formatShape } from '../../graph/labels';
import { renderFilters } from './filter-view';

/** Rows of `name · shape` (and `via <node>` for a folded weight). */
function weightList(layer: LayerNode, content: GraphContent): HTMLElement {
  const { graph } = content;
  const stored = new Map(graph.initializers.map((i) => [i.name, i]));
  const edges = new Map(graph.edges.map((e) => [e.tensor, e]));
  const ops = new Map(graph.nodes.map((n) => [n.id, n.op]));
  const list = document.createElement('table');
  list.className = 'kv weight-list';
  list.dataset['testid'] = 'weight-list';
  for (const name of layer.weights) {
    const init = stored.get(name);
    const edge = edges.get(name);
    const row = list.insertRow();
    row.dataset['weight'] = name;
    const th = document.createElement('th');
    th.textContent = name;
    th.title = name;
    const td = row.insertCell();
    const shape = formatShape(init?.shape ?? edge?.shape ?? null) || 'shape unknown';
    const dtype = init?.dtype ?? edge?.dtype ?? '';
    const op = edge?.from ? (ops.get(edge.from) ?? '') : '';
    const via = edge?.from ? ` · via ${edge.from}${edge.from.includes(op) ? '' : ` (${op})`}` : '';
    td.textContent = `${shape} ${dtype}${via}`;
    td.title = td.textContent;
    row.prepend(th);
  }
  return list;
}

/**
 * The section for `layer`, or null when it reads no weights.
 * @example const el = weightsSection(layer, content, runData, 320); if (el) scroll.append(el);
 */
export function weightsSection(layer: LayerNode, content: GraphContent, runData: RunData, width: number): HTMLElement | null {
  if (layer.weights.length === 0) return null;
  const el = document.createElement('section');
  el.className = 'panel-section';
  el.dataset['testid'] = 'panel-filters';
  const h = document.createElement('h4');
  const conv = /Conv/.test(layer.op);
  h.textContent = conv ? 'Filters' : 'Weights';
  const body = document.createElement('div');
  el.append(h, weightList(layer, content), body);
  const { run } = content;
  if (run !== null && conv) {
    body.innerHTML = '<div class="skeleton short"></div>';
    runData.filters(run.runId, layer.id).then(
      (set) => renderFilters(body, set, width),
      () => body.replaceChildren(), // this run stored no filters for it
    );
  }
  return el;
}
