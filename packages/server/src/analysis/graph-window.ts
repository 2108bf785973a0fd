/**
 * Which graph window a model's graph or run goes to, and its title: one graph pane per model and
 * env, titled by the model's file name (or the request's `modelName`) and the window, so panes can
 * be told apart.
 * @module
 */
import type { AnalyzeRequest, LayerGraph, ModelGraphRequest } from '@cnnvis/protocol';
import type { WindowService } from '../window-service';
import { safeWinPart } from './filter-panes';

/** `model:graph`'s window when the request names none. */
export const DEFAULT_GRAPH_WIN = 'graph';

/** What a graph window shows: its model's id, the name its last run gave, its revision. */
async function shownModel(windows: WindowService, env: string, win: string): Promise<{ modelId: string; modelName: string | null; rev: number } | undefined> {
  if (!(await windows.exists(env, win))) return undefined;
  const w = await windows.get({ env, win });
  if (w.content.kind !== 'graph') return undefined;
  const runs = w.content.runs ?? [];
  return { modelId: w.content.graph.modelId, modelName: runs[runs.length - 1]?.modelName ?? null, rev: w.rev };
}

/**
 * What a pane calls a model: its file name, else (a model given as bytes) its producer.
 * @example modelLabel(undefined, { producer: 'pytorch 1.13.0' }) // 'pytorch 1.13.0'
 */
export function modelLabel(modelName: string | undefined, graph: Pick<LayerGraph, 'producer'>): string {
  return modelName ?? (graph.producer || 'model');
}

/**
 * A pane title: `resnet18.onnx · fm-graph`.
 * @example graphTitle('resnet18.onnx', graph, 'fm-graph')
 */
export function graphTitle(modelName: string | undefined, graph: Pick<LayerGraph, 'producer'>, win: string): string {
  return `${modelLabel(modelName, graph)} · ${win}`;
}

/**
 * A run's graph window when the request names neither `win` nor `winPrefix`: the `model:graph` pane
 * of the same model, else `defaultWin`, unless that shows a model of another name: then
 * `<defaultWin>-<name>`.
 */
export async function featureMapsWindow(windows: WindowService, env: string, req: AnalyzeRequest, defaultWin: string): Promise<string> {
  if (req.win !== undefined || req.winPrefix !== undefined) return defaultWin;
  if ((await shownModel(windows, env, DEFAULT_GRAPH_WIN))?.modelId === req.modelId) return DEFAULT_GRAPH_WIN;
  if (req.modelName === undefined) return defaultWin;
  const shown = await shownModel(windows, env, defaultWin);
  const other = shown !== undefined && shown.modelId !== req.modelId && shown.modelName !== null && shown.modelName !== req.modelName;
  return other ? `${defaultWin}-${safeWinPart(req.modelName)}` : defaultWin;
}

/**
 * `model:graph`'s window: the one named, else the pane that already shows this model ('graph',
 * `runWin` or `<runWin>-<name>`; `keep`: it is left as it is, its run kept), else 'graph'.
 */
export async function modelGraphWindow(windows: WindowService, env: string, req: ModelGraphRequest, runWin: string): Promise<{ win: string; keep?: { rev: number } }> {
  if (req.win !== undefined) return { win: req.win };
  const candidates = [DEFAULT_GRAPH_WIN, runWin, ...(req.modelName === undefined ? [] : [`${runWin}-${safeWinPart(req.modelName)}`])];
  for (const win of candidates) {
    const shown = await shownModel(windows, env, win);
    if (shown?.modelId === req.modelId) return { win, keep: { rev: shown.rev } };
  }
  return { win: DEFAULT_GRAPH_WIN };
}
