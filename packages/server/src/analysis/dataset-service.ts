/**
 * `dataset:run`: per-layer, per-channel statistics of a model over many inputs, computed by a
 * worker a batch at a time, stored as two panes (a table listing dead and saturated channels, and
 * each layer's dead fraction), kept by the model's graph window (keepDataset) and answered with
 * every channel's numbers and top-k inputs.
 * @module
 */
import { rm, writeFile } from 'node:fs/promises';
import { DatasetRequestSchema, DEFAULT_ENV, type DatasetRequest, type DatasetResult, type GraphContent, type GraphDataset, type LayerGraph } from '@cnnvis/protocol';
import type { DatasetInputs, InputThumbnail, SpooledInputs } from '@cnnvis/worker/pool';
import { badField } from '../errors';
import { encodePng } from '../images/png-encode';
import type { RequestContext } from '../request-context';
import { validate, type WindowService } from '../window-service';
import { DEFAULT_WIN_PREFIX } from './analysis-service';
import { datasetTable, deadPlot, layerStats } from './dataset-panes';
import { graphTitle, modelGraphWindow, modelLabel } from './graph-window';
import { jobProgress, type JobServiceDeps } from './job-progress';

/** The table's window when the request names none. */
export const DEFAULT_DATASET_WIN = 'dataset';

export class DatasetService {
  constructor(private readonly deps: JobServiceDeps<'dataset'>) {}

  async run(payload: unknown, ctx: RequestContext): Promise<DatasetResult> {
    const { inputs: sent, ...req } = validate(DatasetRequestSchema, payload);
    encodedImages(sent).forEach((image, i) => this.deps.windows.checkEncodedImageSize(image, `inputs[${i}]`));
    const file = this.deps.models.files.tempPath();
    try {
      return await this.runOn(req, await spoolDatasetInputs(sent, file), ctx);
    } finally {
      await rm(file, { force: true });
    }
  }

  /** `run` on inputs already read and checked (`POST /api/dataset-stats` spools them to a file). */
  async runOn(req: Omit<DatasetRequest, 'inputs'>, inputs: DatasetInputs, ctx: RequestContext): Promise<DatasetResult> {
    const started = performance.now();
    const env = req.env ?? DEFAULT_ENV;
    const win = req.win ?? DEFAULT_DATASET_WIN;
    const deadWin = `${win.slice(0, 120)}-dead`;
    const model = await this.deps.models.get(req.modelId);
    const { progress } = jobProgress(this.deps.broadcast, ctx, { jobId: req.jobId, modelId: model.id, env });
    progress('queued', 0);
    const { env: _e, modelId: _m, win: _w, graphWin: _g, jobId: _j, modelName: _n, ...options } = req;
    const out = await this.deps.jobs.dataset(
      { modelPath: this.deps.models.files.pathOf(model.id), modelId: model.id, inputs, ...options, provider: this.deps.provider },
      (p) => progress(p.stage, p.fraction, p.passes),
    );
    const pooled = performance.now() - started;
    progress('store', 1);
    const layers = out.layers.map((l) => layerStats(l, out.topK));
    const title = `${modelLabel(req.modelName, model.graph)} over ${out.inputs} inputs`;
    // Wide enough for the table's six columns to keep their headers on one line.
    await this.deps.windows.put({ env, win, opts: { title, width: 640 }, content: { kind: 'text', text: datasetTable(layers, out.inputs) } });
    await this.deps.windows.put({ env, win: deadWin, opts: { title: `dead channels · ${title}` }, content: deadPlot(layers) });
    const graphWin = await keepDataset(this.deps.windows, env, model, graphDataset(model.id, out, layers), req.graphWin, `${DEFAULT_WIN_PREFIX}-graph`, req.modelName);
    progress('done', 1);
    const worked = out.timings.sessionMs + out.timings.runMs + out.timings.statsMs;
    return {
      modelId: model.id, env, win, deadWin, graphWin, inputs: out.inputs, batch: out.batch, runs: out.runs, provider: out.provider,
      timings: { queueMs: Math.max(0, pooled - worked), ...out.timings, totalMs: performance.now() - started },
      layers,
    };
  }
}

/**
 * A dataset request's inputs, sent as one binary, written to a spool file for the worker to read a
 * batch at a time (as `POST /api/dataset-stats` spools its parts): a stacked float32 tensor is the
 * file as it is, one input per slice of axis 0; image files are cut at their lengths, so the
 * worker's pipe never carries the inputs.
 */
export async function spoolDatasetInputs(inputs: DatasetRequest['inputs'], file: string): Promise<SpooledInputs> {
  if ('encoded' in inputs) {
    const total = inputs.lengths.reduce((a, b) => a + b, 0);
    if (total !== inputs.encoded.byteLength) {
      throw badField('inputs.lengths', `add up to ${total} bytes but inputs.encoded holds ${inputs.encoded.byteLength}`);
    }
    await writeFile(file, inputs.encoded);
    return { file, lengths: [...inputs.lengths] };
  }
  const [count = 0, ...item] = inputs.shape;
  await writeFile(file, inputs.data);
  return { file, lengths: new Array<number>(count).fill(item.reduce((a, b) => a * b, 4)), shape: [1, ...item] };
}

/** Each image's bytes (views, not copies), to check their headers before any run. */
export function encodedImages(inputs: DatasetRequest['inputs']): Uint8Array[] {
  if (!('encoded' in inputs)) return [];
  let at = 0;
  return inputs.lengths.map((n) => inputs.encoded.subarray(at, (at += n)));
}

/*
 * Dataset statistics kept by the model's graph window, so the explorer can
 * colour layers by dead or saturated fraction, list a layer's dead channels
 * and show each channel's top-k inputs. The statistics ride in the window's
 * content: the window keeps its runs, and the store keeps the statistics
 * across later runs of the same model (the stores' withKeptDataset).
 */

/** A thumbnail as a data URL: the window keeps it, so no route or table is needed for it. */
const dataUrl = (t: InputThumbnail) => `data:image/png;base64,${encodePng(t.data, t.width, t.height, t.channels).toString('base64')}`;

/** The statistics as a graph window keeps them. */
export function graphDataset(modelId: string, out: { inputs: number; topK: number; thumbnails: Array<{ input: number; thumbnail: InputThumbnail }> }, layers: GraphDataset['layers']): GraphDataset {
  const thumbnails = Object.fromEntries(out.thumbnails.map((t) => [String(t.input), dataUrl(t.thumbnail)]));
  return { modelId, inputs: out.inputs, topK: out.topK, createdAt: Date.now(), layers, thumbnails };
}

/**
 * Put `dataset` into the graph window that shows its model (`win` when given; else the env's pane
 * of this model, else 'graph'), keeping what the window shows of it (its graph, run and runs);
 * returns the window's id.
 */
export async function keepDataset(
  windows: WindowService,
  env: string,
  model: { id: string; graph: LayerGraph },
  dataset: GraphDataset,
  win: string | undefined,
  runWin: string,
  modelName?: string,
): Promise<string> {
  const target = (await modelGraphWindow(windows, env, { modelId: model.id, ...(win === undefined ? {} : { win }) }, runWin)).win;
  const shown = (await windows.exists(env, target)) ? await windows.get({ env, win: target }) : undefined;
  const same = shown?.content.kind === 'graph' && shown.content.graph.modelId === model.id ? shown.content : undefined;
  const content: GraphContent = same === undefined ? { kind: 'graph', graph: model.graph, run: null, dataset } : { kind: 'graph', graph: same.graph, run: same.run, dataset };
  await windows.put({ env, win: target, opts: same === undefined || shown === undefined ? { title: graphTitle(modelName, model.graph, target) } : shown.opts, content });
  return target;
}
