/**
 * `analysis:run`, `model:graph` and `model:filters`: turn a request into a worker job, store what
 * comes back (the worker writes the feature maps to the run's file; the server records their index
 * and the filters as blobs, the graph as a window; a model's filters become panes of their own) and
 * answer with the typed result.
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  AnalyzeRequestSchema,
  DEFAULT_ENV,
  FiltersRequestSchema,
  IMAGE_GRID_DEFAULTS,
  ModelGraphRequestSchema,
  WinIdSchema,
  type AnalysisRun,
  type AnalyzeRequest,
  type CompareResult,
  type LayerGraph,
  type FeatureMapsResult,
  type FiltersResult,
  type LayerFilters,
  type WindowAck,
} from '@cnnvis/protocol';
import { packChannels, readLayers, writeMapsFile, type AnalyzeOutput, type ChannelArrays, type FileChannels } from '@cnnvis/worker/pool';
import type { Broadcaster } from '../broadcaster';
import { badField } from '../errors';
import type { ModelService } from '../models/model-service';
import type { ProviderChoice } from '../options';
import type { RequestContext } from '../request-context';
import type { AnalysisStore, RunBlobs, StoredModel } from '../store/analysis-store';
import { appendRunTail } from '../store/run-file-tail';
import { validate, type WindowService } from '../window-service';
import { DEFAULT_FILTERS_PREFIX, DEFAULT_MAX_FILTERS, DEFAULT_MAX_INPUTS, filterGrid, histogramPlot, pickFilterLayers, safeWinPart } from './filter-panes';
import { RunComparer, type CompareDeps } from './compare-runs';
import { featureMapsWindow, graphTitle, modelGraphWindow } from './graph-window';
import { toJobInput } from './job-input';
import { jobProgress } from './job-progress';
import type { JobRunner } from './job-runner';

/** Most channels stored per layer when the request names no limit: every channel (the worker's byte budget still applies). */
export const DEFAULT_MAX_CHANNELS = 4096;
/** Prefix of the windows a run creates when the request names none. */
export const DEFAULT_WIN_PREFIX = 'fm';

export interface AnalysisDeps {
  models: ModelService;
  provider: ProviderChoice;
  windows: WindowService;
  jobs: JobRunner;
  broadcast: Broadcaster;
  /** Where runs' maps files go, their removal when a run is not recorded, and what a compare reads. */
  runs: Pick<AnalysisStore, 'mapsPath' | 'discardRun'> & CompareDeps['runs'];
}

function windowId(prefix: string, suffix: string, field: string): string {
  const win = `${prefix}-${suffix}`;
  if (!WinIdSchema.safeParse(win).success) {
    throw badField(field, `makes the window id '${win}', which must be 1-128 printable characters without "/" or "\\"`);
  }
  return win;
}

/** A job's layers without channels, and their statistics: packed in memory, or where they lie in the run's maps file. */
function packedOf(out: AnalyzeOutput): { layers: AnalyzeOutput['layers'] } & (ChannelArrays | FileChannels) {
  if (out.channelsInFile !== undefined) return { layers: out.layers, ...out.channelsInFile };
  return out.packedChannels === undefined ? packChannels(out.layers) : { layers: out.layers, ...out.packedChannels };
}

/** What a run records of its input and labels, so the UI can undo the preprocessing and name classes. */
function runInput(req: AnalyzeRequest, graph: LayerGraph): Pick<AnalysisRun, 'input' | 'labels'> {
  const tensor = graph.inputs[0]?.name;
  const input = tensor === undefined ? {} : { input: { tensor, image: 'encoding' in req.input, ...(req.preprocess === undefined ? {} : { preprocess: req.preprocess }) } };
  return { ...input, ...(req.labels === undefined ? {} : { labels: req.labels }) };
}

/** Models whose records a service keeps parsed (a ResNet-18's graph is ~28 KB of JSON to parse per run otherwise). */
const KNOWN_MODELS = 16;

export class AnalysisService {
  /** Models by id, parsed, whose conv filters are all stored: an id names its bytes, so neither changes. */
  private readonly known = new Map<string, StoredModel>();

  private readonly comparer: RunComparer;

  constructor(private readonly deps: AnalysisDeps) {
    this.comparer = new RunComparer(deps);
  }

  /** Compare two kept runs layer by layer (see compare-runs.ts). */
  compare(payload: unknown): Promise<CompareResult> {
    return this.comparer.compare(payload);
  }

  /** The model of a run, parsed once while its filters are stored; its file is checked every time. */
  private async model(id: string): Promise<{ model: StoredModel; filters: boolean }> {
    const known = this.known.get(id);
    if (known !== undefined && this.deps.models.files.exists(id)) return { model: known, filters: false };
    const model = await this.deps.models.get(id);
    const filters = await this.deps.models.needsFilters(model);
    if (!filters) {
      if (this.known.size >= KNOWN_MODELS) this.known.delete(this.known.keys().next().value ?? '');
      this.known.set(id, model);
    }
    return { model, filters };
  }

  /** Run a model on an input and store the result as a graph window; resolves when stored. */
  async run(payload: unknown, ctx: RequestContext): Promise<FeatureMapsResult> {
    const started = performance.now();
    const req = validate(AnalyzeRequestSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const win = await featureMapsWindow(this.deps.windows, env, req, req.win ?? windowId(req.winPrefix ?? DEFAULT_WIN_PREFIX, 'graph', 'winPrefix'));
    const { model, filters } = await this.model(req.modelId);
    const input = toJobInput(req.input);
    if ('encoding' in req.input) this.deps.windows.checkEncodedImageSize(req.input.data, 'input');
    const { progress } = jobProgress(this.deps.broadcast, ctx, { jobId: req.jobId, modelId: model.id, env });

    progress('queued', 0);
    // Named before the job runs: the worker writes the maps straight to the run's file.
    const runId = `run_${randomBytes(8).toString('hex')}`;
    const mapsPath = this.deps.runs.mapsPath(runId);
    const job = {
      modelPath: this.deps.models.files.pathOf(model.id),
      modelId: model.id,
      input,
      ...(req.preprocess === undefined ? {} : { preprocess: req.preprocess }),
      ...(req.layers === undefined ? {} : { layers: req.layers }),
      maxChannels: req.maxChannels ?? DEFAULT_MAX_CHANNELS,
      ...(req.maxMapBytes === undefined ? {} : { maxMapBytes: req.maxMapBytes }),
      provider: this.deps.provider,
      filters,
      mapsPath,
    };
    try {
      const out = await this.deps.jobs.run(job, (p) => progress(p.stage, p.fraction));
      const pooled = performance.now() - started;

      progress('store', 1);
      const storeStart = performance.now();
      // A job that ran in this process (no child to write the file) hands its maps back in memory.
      const { maps, input } = appendRunTail(mapsPath, out.mapRanges ?? writeMapsFile(mapsPath, out.maps), req.input);
      // Per-channel statistics stay packed from the worker to the store (a job run in this process packs
      // here), and where the worker left them in the maps file, they stay there: the store records where.
      const { layers, ...channels } = packedOf(out);
      const worked = out.timings.sessionMs + out.timings.runMs + out.timings.statsMs;
      // The window's timings end where storing begins; the caller's include the store.
      const base = { queueMs: Math.max(0, pooled - worked), ...out.timings };
      const run: AnalysisRun = { runId, provider: out.provider, timings: { ...base, storeMs: 0, totalMs: pooled }, layers, ...runInput(req, out.graph) };
      await this.deps.windows.put({
        env,
        win,
        opts: { title: graphTitle(req.modelName, model.graph, win) },
        content: { kind: 'graph', graph: out.graph, run, blobs: { runId, modelId: model.id, maps, filters: out.filters, channels, input, ...runInfo(req, out) } },
      });
      const timings = { ...base, storeMs: performance.now() - storeStart, totalMs: performance.now() - started };
      progress('done', 1);
      const result = req.channelStats === true ? readLayers(mapsPath, layers, channels) : layers;
      return { runId, modelId: model.id, env, win, provider: out.provider, timings, layers: result };
    } catch (err) {
      await this.deps.runs.discardRun(runId); // a failed job or store leaves no file behind (a recorded run keeps it)
      throw err;
    }
  }

  /**
   * Show the filters of a model's conv layers, read from its weights by a worker (nothing runs, so
   * no input is needed), as an image grid and a weight histogram per layer.
   */
  async filters(payload: unknown): Promise<FiltersResult> {
    const req = validate(FiltersRequestSchema, payload);
    const env = req.env ?? DEFAULT_ENV;
    const model = await this.deps.models.get(req.modelId);
    const prefix = req.winPrefix ?? DEFAULT_FILTERS_PREFIX;
    // Window ids are checked before the job, so a bad prefix costs no worker time.
    const wins = new Map(
      pickFilterLayers(model.graph, req.layer).map((n) => {
        const part = safeWinPart(n.id);
        return [n.id, { win: windowId(prefix, part, 'winPrefix'), histogramWin: windowId(prefix, `${part}-hist`, 'winPrefix') }];
      }),
    );
    const nodes = [...wins.keys()];
    const sets = await this.deps.jobs.filters({ modelPath: this.deps.models.files.pathOf(model.id), modelId: model.id, nodes });
    if (sets.length === 0) {
      const message = `${nodes.join(', ')} ${nodes.length === 1 ? 'has' : 'have'} no 2-D float weights stored in the model (quantized, 3-D, or computed when it runs), so no filters to show`;
      throw badField('layer', message);
    }
    const { nrow, padding } = IMAGE_GRID_DEFAULTS;
    const layers: LayerFilters[] = [];
    for (const set of sets) {
      const ids = wins.get(set.node);
      if (ids === undefined) continue;
      const grid = filterGrid(set, req.maxFilters ?? DEFAULT_MAX_FILTERS, req.maxInputs ?? DEFAULT_MAX_INPUTS);
      const named = req.modelName === undefined ? '' : `${req.modelName} · `;
      await this.deps.windows.put({ env, win: ids.win, opts: { title: `${named}filters: ${set.node}` }, content: { kind: 'image', images: [grid], nrow, padding } });
      const histogram = { title: `${named}weights: ${set.node}`, xlabel: 'weight', ylabel: 'count' };
      await this.deps.windows.put({ env, win: ids.histogramWin, opts: histogram, content: histogramPlot(set.histogram) });
      layers.push({ node: set.node, shape: set.shape, min: set.min, max: set.max, ...ids });
    }
    return { modelId: model.id, env, layers };
  }

  /** Show a model's layer graph, without a run, in a graph window. */
  async showGraph(payload: unknown): Promise<WindowAck> {
    const req = validate(ModelGraphRequestSchema, payload);
    const model = await this.deps.models.get(req.modelId);
    const env = req.env ?? DEFAULT_ENV;
    // The run pane that already shows this model stays as it is: one graph pane per model.
    const { win, keep } = await modelGraphWindow(this.deps.windows, env, req, windowId(DEFAULT_WIN_PREFIX, 'graph', 'win'));
    if (keep) return { env, win, rev: keep.rev };
    return this.deps.windows.put({
      env,
      win,
      opts: { title: graphTitle(req.modelName, model.graph, win) },
      content: { kind: 'graph', graph: model.graph, run: null },
    });
  }
}

/**
 * What a kept run records of its request and its job: step, label, the model's file name, when it
 * ran, the input's shape and thumbnail.
 */
export function runInfo(req: AnalyzeRequest, out: AnalyzeOutput): Pick<RunBlobs, 'info' | 'thumbnail'> {
  const info = {
    modelName: req.modelName ?? null,
    step: req.step ?? null,
    label: req.label ?? null,
    createdAt: Date.now(),
    inputShape: out.input?.shape ?? ('shape' in req.input ? [...req.input.shape] : []),
  };
  const thumbnail = out.input?.thumbnail;
  return thumbnail === undefined ? { info } : { info, thumbnail };
}
