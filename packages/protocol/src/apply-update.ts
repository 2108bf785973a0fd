/**
 * Each update op as a pure function over content, shared by server and web UI so a browser that
 * applies deltas ends up with exactly the window the server stored.
 * @module
 */
import type { Content, PlotContent, Trace, TextContent } from './content';
import type { MarkerColor, UpdateOp, TracePoints } from './update-ops';

/** Why an op cannot apply to a window; the server turns it into a 4xx. */
export class UpdateRejection extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'UpdateRejection';
  }
}

/** Which kinds each op applies to. */
export const OP_KINDS: Readonly<Record<UpdateOp['type'], ReadonlyArray<Content['kind']>>> = {
  append: ['plot'],
  replace: ['plot'],
  remove: ['plot'],
  heatmap: ['plot'],
  appendText: ['text'],
  opts: ['plot', 'image', 'text', 'graph', 'properties', 'network'],
};

/** Throw unless `op` applies to a window of `kind`. */
export function assertOpFitsKind(op: UpdateOp, kind: Content['kind']): void {
  if (!OP_KINDS[op.type].includes(kind)) {
    throw new UpdateRejection(
      'BAD_REQUEST',
      `op.type: '${op.type}' does not apply to a ${kind} window`,
    );
  }
}

/**
 * Resolve `index` selectors to trace names, so a delta is unambiguous.
 * Unknown names stay as they are: they create a new trace.
 */
export function resolveTraceNames(traces: readonly Trace[], points: readonly TracePoints[]) {
  return points.map((p, i) => {
    const trace = p.name !== undefined ? undefined : traces[p.index ?? -1];
    if (p.name === undefined && trace === undefined) {
      throw new UpdateRejection(
        'NOT_FOUND',
        `op.traces[${i}].index: no trace ${String(p.index)} (the window has ${traces.length})`,
      );
    }
    const named: { name: string; x: TracePoints['x']; y: TracePoints['y']; color?: MarkerColor[] } = {
      name: p.name ?? (trace as Trace).name,
      x: p.x,
      y: p.y,
    };
    if (p.color !== undefined) named.color = p.color;
    return named;
  });
}

/**
 * A trace's plotly attributes with per-point marker colours appended (or set, on replace); a
 * single colour gives way to the list, as in Visdom.
 * @example withMarkerColors({ marker: { color: ['red'] } }, ['blue'], false) // → { marker: { color: ['red', 'blue'] } }
 */
export function withMarkerColors(plotly: Trace['plotly'], colors: readonly MarkerColor[], replace: boolean): NonNullable<Trace['plotly']> {
  const old = plotly?.['marker'];
  const marker = typeof old === 'object' && old !== null && !Array.isArray(old) ? old : {};
  const held = marker['color'];
  const color = !replace && Array.isArray(held) ? [...held, ...colors] : [...colors];
  return { ...(plotly ?? {}), marker: { ...marker, color } };
}

/** A new trace injected by an append or replace to an unknown name: it looks like the first. */
export function newTraceLike(first: Trace | undefined, name: string): Trace {
  const trace: Trace = { name, type: first?.type ?? 'scatter', x: [], y: [] };
  if (first?.mode !== undefined) trace.mode = first.mode;
  return trace;
}

function applyPoints(content: PlotContent, points: readonly TracePoints[], replace: boolean) {
  const traces = content.traces.map((t) => ({ ...t }));
  for (const p of resolveTraceNames(traces, points)) {
    let trace = traces.find((t) => t.name === p.name);
    if (trace === undefined) {
      trace = newTraceLike(traces[0], p.name);
      traces.push(trace);
    }
    trace.x = replace ? [...p.x] : [...(trace.x ?? []), ...p.x];
    trace.y = replace ? [...p.y] : [...(trace.y ?? []), ...p.y];
    if (p.color !== undefined) trace.plotly = withMarkerColors(trace.plotly, p.color, replace);
  }
  return { ...content, traces };
}

/** Grow a matrix on one edge; throws when the new block does not fit. */
export function growMatrix(
  z: ReadonlyArray<ReadonlyArray<number | null>>,
  edge: 'appendRow' | 'appendColumn' | 'prependRow' | 'prependColumn',
  block: ReadonlyArray<ReadonlyArray<number | null>>,
): Array<Array<number | null>> {
  const cols = z[0]?.length ?? 0;
  if (edge === 'appendRow' || edge === 'prependRow') {
    const bad = block.findIndex((row) => z.length > 0 && row.length !== cols);
    if (bad >= 0) {
      throw new UpdateRejection(
        'BAD_REQUEST',
        `op.z[${bad}]: has ${block[bad]?.length} columns but the heatmap has ${cols}`,
      );
    }
    const rows = block.map((r) => [...r]);
    const old = z.map((r) => [...r]);
    return edge === 'appendRow' ? [...old, ...rows] : [...rows, ...old];
  }
  if (z.length > 0 && block.length !== z.length) {
    throw new UpdateRejection(
      'BAD_REQUEST',
      `op.z: has ${block.length} rows but the heatmap has ${z.length}`,
    );
  }
  const base = z.length > 0 ? z : block.map(() => []);
  return base.map((row, i) => {
    const add = block[i] ?? [];
    return edge === 'appendColumn' ? [...row, ...add] : [...add, ...row];
  });
}

function applyHeatmap(content: PlotContent, op: Extract<UpdateOp, { type: 'heatmap' }>) {
  const index = content.traces.findIndex((t) => t.type === 'heatmap');
  const trace = content.traces[index];
  if (trace === undefined) {
    throw new UpdateRejection('BAD_REQUEST', 'op.type: the window has no heatmap trace');
  }
  const traces = [...content.traces];
  traces[index] = { ...trace, z: growMatrix(trace.z ?? [], op.edge, op.z) };
  return { ...content, traces };
}

/**
 * Apply an update op to content and return the new content (the input is not changed).
 * @example
 * const next = applyUpdate(win.content, { type: 'append', traces: [{ name: 'train', x: [3], y: [0.2] }] });
 */
export function applyUpdate<C extends Content>(content: C, op: UpdateOp): C {
  assertOpFitsKind(op, content.kind);
  switch (op.type) {
    case 'append':
    case 'replace':
      return applyPoints(content as PlotContent, op.traces, op.type === 'replace') as C;
    case 'remove': {
      const plot = content as PlotContent;
      if (!plot.traces.some((t) => t.name === op.name)) {
        throw new UpdateRejection('NOT_FOUND', `op.name: no trace named '${op.name}'`);
      }
      return { ...plot, traces: plot.traces.filter((t) => t.name !== op.name) } as C;
    }
    case 'heatmap':
      return applyHeatmap(content as PlotContent, op) as C;
    case 'appendText': {
      const text = content as TextContent;
      return { ...text, text: text.text + op.text } as C;
    }
    case 'opts':
      return content;
  }
}
