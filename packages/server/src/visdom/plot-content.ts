/**
 * Visdom plot data (plotly traces) as cnnvis plot content.
 * @module
 */
import { TraceSchema, type PlotContent, type Trace } from '@cnnvis/protocol';
import { badField } from '../errors';

type Slot = { safeParse(v: unknown): { success: boolean } };
const SLOTS = TraceSchema.shape as unknown as Record<string, Slot>;
const TYPED = ['mode', 'x', 'y', 'z', 'orientation', 'nbinsx'] as const;

/** A JSON object (not an array, not null): the shape Visdom's bodies and their parts take. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One Visdom trace as a cnnvis trace; `index` names unnamed traces `1`, `2`, …
 * as the stock client names the columns of a line.
 */
export function toTrace(raw: unknown, index: number, path: string): Trace {
  if (!isRecord(raw)) throw badField(path, 'must be a plotly trace object');
  const type = typeof raw['type'] === 'string' ? raw['type'] : 'scatter';
  if (!(SLOTS['type'] as Slot).safeParse(type).success) throw badField(`${path}.type`, `'${type}' is not a plotly trace type`);
  const trace: Trace = { name: raw['name'] === undefined || raw['name'] === null ? String(index + 1) : String(raw['name']), type };
  const plotly: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    // Python's None (e.g. a heatmap's columnnames when none are given) means "not set".
    if (key === 'name' || key === 'type' || value === undefined || value === null) continue;
    if ((TYPED as readonly string[]).includes(key) && (SLOTS[key] as Slot).safeParse(value).success) {
      (trace as Record<string, unknown>)[key] = value;
    } else {
      plotly[key] = value;
    }
  }
  if (Object.keys(plotly).length > 0) trace.plotly = plotly as Trace['plotly'];
  return trace;
}

/** The `data` list and `layout` of a Visdom plot as plot content. */
export function toPlotContent(data: readonly unknown[], layout: unknown): PlotContent {
  const content: PlotContent = { kind: 'plot', traces: data.map((t, i) => toTrace(t, i, `data[${i}]`)) };
  if (isRecord(layout) && Object.keys(layout).length > 0) content.layout = layout as PlotContent['layout'];
  return content;
}

/** A cnnvis trace back in plotly form, as Visdom's `content.data` holds it. */
export function toPlotlyTrace(trace: Trace): Record<string, unknown> {
  const { plotly, ...typed } = trace;
  return { ...(plotly ?? {}), ...typed };
}
