/**
 * `/events` bodies as cnnvis window-create requests. `data[0].type` picks the kind, as in Visdom:
 * image, image_history, text, properties, network, or any plotly trace type (a plot pane).
 * @module
 */
import type { ContentInput, NetworkContent, PropertiesContent, WindowCreateRequest } from '@cnnvis/protocol';
import { badField, CnnvisError } from '../errors';
import { newWinId, toEnvId, toWinId } from './ids';
import { toImageHistoryContent, toImageInput } from './image-content';
import { toPlotContent } from './plot-content';
import { toWindowOpts } from './window-opts';

const pick = (o: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, o[k]]));

function toProperties(content: unknown): PropertiesContent {
  if (!Array.isArray(content)) throw badField('data[0].content', 'must be a list of properties');
  const properties = content.map((p: unknown) => pick((p ?? {}) as Record<string, unknown>, ['type', 'name', 'value', 'values']));
  // Validated by the create schema; this only drops fields cnnvis does not draw.
  return { kind: 'properties', properties: properties as PropertiesContent['properties'] };
}

function toNetwork(entry: Record<string, unknown>): NetworkContent {
  const content = (entry['content'] ?? {}) as { nodes?: unknown; edges?: unknown };
  const list = (v: unknown, keys: readonly string[]) => (Array.isArray(v) ? v.map((n: unknown) => pick((n ?? {}) as Record<string, unknown>, keys)) : []);
  return {
    kind: 'network',
    nodes: list(content.nodes, ['name', 'label', 'club']) as NetworkContent['nodes'],
    edges: list(content.edges, ['source', 'target', 'label']) as NetworkContent['edges'],
    directed: entry['directed'] === true,
    showEdgeLabels: entry['showEdgeLabels'] === true,
    showVertexLabels: entry['showVertexLabels'] !== false,
  };
}

/** The content of `data` (a Visdom `data` list) and `layout`. */
export function toContent(data: unknown, layout: unknown, selected?: unknown): ContentInput {
  if (!Array.isArray(data) || data.length === 0) throw badField('data', 'must be a non-empty list whose first entry has a type');
  const first = data[0] as Record<string, unknown> | null;
  if (typeof first !== 'object' || first === null) throw badField('data[0]', 'must be an object with a type');
  switch (first['type']) {
    case 'image':
      return { kind: 'image', images: [toImageInput(first['content'], 'data[0].content')] };
    case 'image_history':
      return toImageHistoryContent(first['content'], selected ?? first['selected'], 'data[0].content');
    case 'text':
      if (typeof first['content'] !== 'string') throw badField('data[0].content', 'must be a string (HTML)');
      return { kind: 'text', text: first['content'] };
    case 'properties':
      return toProperties(first['content']);
    case 'network':
      return toNetwork(first);
    case 'embeddings':
      throw new CnnvisError({ code: 'BAD_REQUEST', message: "data[0].type: 'embeddings' panes are not supported by cnnvis" });
    default:
      return toPlotContent(data, layout);
  }
}

/** An `/events` body as a create request. */
export function toCreateRequest(body: Record<string, unknown>): WindowCreateRequest {
  if (body['func'] !== undefined) throw badField('func', 'the Lua Torch API is not supported; send data, layout and opts');
  const content = toContent(body['data'], body['layout']);
  const isHeatmap = content.kind === 'plot' && content.traces[0]?.type === 'heatmap';
  return {
    env: toEnvId(body['eid']),
    win: toWinId(body['win']) ?? newWinId(),
    content,
    opts: toWindowOpts(body['opts'], isHeatmap),
  };
}

/**
 * A stored Visdom pane object (what `/win_data` returns and accepts) as an
 * `/events` body, so setting window data goes through the same conversion.
 */
export function paneToEventsBody(pane: unknown, eid: string, win: string): Record<string, unknown> {
  if (typeof pane !== 'object' || pane === null) throw badField('data', `window '${win}' must be a pane object`);
  const p = pane as Record<string, unknown>;
  const opts = { title: p['title'], width: p['width'], height: p['height'], ...((p['opts'] as object | undefined) ?? {}) };
  if (p['type'] === 'plot') {
    const c = (p['content'] ?? {}) as { data?: unknown; layout?: unknown };
    return { eid, win, data: c.data, layout: c.layout, opts };
  }
  const entry: Record<string, unknown> = { type: p['type'], content: p['content'] };
  for (const k of ['selected', 'directed', 'showEdgeLabels', 'showVertexLabels']) if (p[k] !== undefined) entry[k] = p[k];
  return { eid, win, data: [entry], opts };
}
