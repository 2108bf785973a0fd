/**
 * The SDK's entry point: `new CnnVis()` and one method per pane kind, each
 * taking the data first and one options object second, as in Visdom.
 * @module
 */
import type { AttributionResult, DatasetResult, CompareRequest, CompareResult, EnvSummary, FeatureMapsResult, FiltersResult, RunRef, Window, WindowAck } from '@cnnvis/protocol';
import { AnalysisCalls } from './analysis-calls';
import type { AttributionOptions, RunAttributionOptions } from './attribution-request';
import { isDatasetFolder, type DatasetFolder, type DatasetOptions } from './dataset-request';
import { sharedBufferPool } from './buffer-pool';
import { CnnvisClientError } from './client-error';
import { Connection, type ReplyOf, type RequestEvent, type RequestOf } from './connection';
import type { FeatureMapsInput } from './feature-maps';
import type { ImageBatch } from './image-grid';
import type { ByteAlloc, ImageSource } from './image-convert';
import { loadImageSource, planImage, planImages } from './image-requests';
import type { ModelSource } from './model-upload';
import {
  resolveCnnVisOptions,
  type BarOptions,
  type CompareOptions,
  type FeatureMapsOptions,
  type FiltersOptions,
  type ModelGraphOptions,
  type CnnVisOptions,
  type EnvOptions,
  type HeatmapOptions,
  type HistogramOptions,
  type ImageOptions,
  type ImagesOptions,
  type LineOptions,
  type ScatterOptions,
  type TextOptions,
  type UpdateOptsOptions,
} from './options';
import { planBar, planHeatmap, planHistogram, type BarData, type HeatmapData, type HistogramData } from './plot-requests';
import { setFields, type WritePlan } from './request-common';
import { createSocketIoSocket } from './socketio-socket';
import { planText } from './text-requests';
import { planTraces, type LineData } from './trace-requests';

/** Options of a trace removal: `name` is the trace to remove. */
export type RemoveTraceOptions = ScatterOptions & { update: 'remove'; name: string; win: string };

/**
 * A connection to a cnnvis server. Every method resolves when the server has
 * applied the change (or rejects with a {@link CnnvisClientError}).
 * @example
 * const viz = new CnnVis({ env: 'resnet18' });
 * for (let step = 0; step < 100; step++) {
 *   await viz.line({ x: [step], y: [Math.exp(-step / 30)] }, { win: 'loss', update: 'append', name: 'train' });
 * }
 * await viz.disconnect();
 */
export class CnnVis {
  /** The options in effect, defaults filled in. */
  readonly options: Readonly<CnnVisOptions>;
  private readonly conn: Connection;
  private readonly analysis: AnalysisCalls;
  private readonly pending = new Set<Promise<unknown>>();
  private closing = false;

  constructor(options: Partial<CnnVisOptions> = {}) {
    this.options = resolveCnnVisOptions(options);
    const socket = createSocketIoSocket(this.options.url, this.options.token);
    this.conn = new Connection(socket, this.options);
    this.analysis = new AnalysisCalls(this.conn, this.options, socket);
  }

  /**
   * Whether the connection is up right now. Calls made while it is down wait
   * for the reconnect (up to `ackTimeoutMs`); there is no need to check first.
   * @example
   * if (!viz.connected) console.warn('cnnvis server unreachable; plots will be sent on reconnect');
   */
  get connected(): boolean {
    return this.conn.connected;
  }

  /**
   * Plot lines: one trace, or one per array of a 2-D `y`. With `update`,
   * change an existing window in one round trip (an append creates the
   * window when it does not exist yet).
   * @example
   * await viz.line({ x: [1, 2, 3], y: [[3, 2, 1], [1, 2, 3]] }, { win: 'acc', legend: ['train', 'val'] });
   * await viz.line({ x: [4], y: [[0.5], [3.5]] }, { win: 'acc', update: 'append' });
   * await viz.line(null, { win: 'acc', update: 'remove', name: 'val' });
   */
  line(data: null, opts: RemoveTraceOptions): Promise<WindowAck>;
  line(data: LineData, opts?: LineOptions): Promise<WindowAck>;
  line(data: LineData | null, opts: LineOptions = {}): Promise<WindowAck> {
    return this.write(() => planTraces('line', data, opts, this.options.env));
  }

  /**
   * Plot points (markers); same data and updates as {@link CnnVis.line}.
   * @example
   * await viz.scatter({ x: embedding.x, y: embedding.y }, { win: 'tsne', markersize: 3 });
   */
  scatter(data: null, opts: RemoveTraceOptions): Promise<WindowAck>;
  scatter(data: LineData, opts?: ScatterOptions): Promise<WindowAck>;
  scatter(data: LineData | null, opts: ScatterOptions = {}): Promise<WindowAck> {
    return this.write(() => planTraces('scatter', data, opts, this.options.env));
  }

  /**
   * Plot bars: one series, or one per array of a 2-D `y` (grouped, or stacked with `stacked`).
   * @example
   * await viz.bar({ y: [0.9, 0.7, 0.8], x: ['cat', 'dog', 'car'] }, { win: 'per-class', title: 'Accuracy' });
   */
  bar(data: BarData, opts: BarOptions = {}): Promise<WindowAck> {
    return this.write(() => planBar(data, opts, this.options.env));
  }

  /**
   * Plot a histogram of `values`, binned here into `numbins` bars (default 30).
   * @example
   * await viz.histogram({ values: conv1Weights }, { win: 'w-conv1', numbins: 50 });
   */
  histogram(data: HistogramData, opts: HistogramOptions = {}): Promise<WindowAck> {
    return this.write(() => planHistogram(data, opts, this.options.env));
  }

  /**
   * Plot a heatmap `z[row][col]`, or grow one on an edge with `update`.
   * @example
   * await viz.heatmap({ z: confusion, x: classes, y: classes }, { win: 'confusion', colormap: 'Viridis' });
   * await viz.heatmap({ z: [newRow] }, { win: 'attn', update: 'appendRow' });
   */
  heatmap(data: HeatmapData, opts: HeatmapOptions = {}): Promise<WindowAck> {
    return this.write(() => planHeatmap(data, opts, this.options.env));
  }

  /**
   * Show one image: raw pixels `{ data, shape: [C, H, W] | [H, W] }` (floats
   * in 0–1 are scaled to 0–255), PNG/JPEG bytes, or a file path (Node only).
   * @example
   * await viz.image({ data: input, shape: [3, 224, 224] }, { win: 'input', caption: 'epoch 3' });
   * await viz.image('samples/cat.png', { win: 'cat' });
   */
  image(image: ImageSource, opts: ImageOptions = {}): Promise<WindowAck> {
    if (typeof image === 'string') {
      const loading = loadImageSource(image);
      return this.task(async () => this.send(planImage(await loading, opts, this.options.env)));
    }
    return this.writeLeasing((alloc) => planImage(image, opts, this.options.env, alloc));
  }

  /**
   * Show several images in one pane: a batch `{ data, shape: [N, C, H, W] }`
   * composed here into one grid (like torchvision's make_grid), or an array
   * of images laid out `nrow` per row by the UI.
   * @example
   * await viz.images({ data: featureMaps, shape: [64, 1, 56, 56] }, { win: 'conv1', nrow: 8 });
   * await viz.images(['a.png', 'b.png'], { win: 'samples', nrow: 2 });
   */
  images(images: ImageBatch | readonly ImageSource[], opts: ImagesOptions = {}): Promise<WindowAck> {
    if (Array.isArray(images) && images.some((img) => typeof img === 'string')) {
      const loading = Promise.all((images as readonly ImageSource[]).map(loadImageSource));
      return this.task(async () => this.send(planImages(await loading, opts, this.options.env)));
    }
    return this.writeLeasing((alloc) => planImages(images as ImageBatch, opts, this.options.env, alloc));
  }

  /**
   * Show text or HTML; with `append`, add to the end of the pane (creating it the first time).
   * @example
   * await viz.text(`epoch ${epoch}: loss ${loss.toFixed(3)}<br>`, { win: 'log', append: true });
   */
  text(text: string, opts: TextOptions = {}): Promise<WindowAck> {
    return this.write(() => planText(text, opts, this.options.env));
  }

  /**
   * Given a list of inputs or a `{ folder }` of images (Node), statistics over all of them: per
   * layer and channel the range, mean, std, zeros, dead and saturated fractions, NaN/Inf counts
   * and the top-k inputs. The server lists dead channels in window `win`, and the model's graph
   * window keeps the statistics to colour its layers by.
   * @example
   * const stats = await viz.featureMaps('model.onnx', images, { win: 'data' });
   * stats.layers.filter((l) => l.deadChannels.length > 0);
   * @example
   * // Every .png/.jpg/.jpeg in a folder, in name order
   * await viz.featureMaps('model.onnx', { folder: './val-images' }, { topK: 5 });
   */
  featureMaps(model: ModelSource, inputs: readonly FeatureMapsInput[] | DatasetFolder, opts?: DatasetOptions): Promise<DatasetResult>;
  /**
   * Run an ONNX model on an input and push what every layer made of it: the layer graph in window
   * `<winPrefix>-graph`, where clicking a layer shows its maps. The model is uploaded only once.
   * @example
   * const result = await viz.featureMaps('convnet.onnx', { data: image, shape: [1, 1, 28, 28] }, { layers: ['Conv', 'Relu'] });
   * console.log(result.provider, result.timings.totalMs);
   * for (const l of result.layers) console.log(l.node, l.shape, l.stats.zeros);
   */
  featureMaps(model: ModelSource, input: FeatureMapsInput, opts?: FeatureMapsOptions): Promise<FeatureMapsResult>;
  featureMaps(model: ModelSource, input: FeatureMapsInput | readonly FeatureMapsInput[] | DatasetFolder, opts: FeatureMapsOptions | DatasetOptions = {}): Promise<FeatureMapsResult | DatasetResult> {
    if (Array.isArray(input) || isDatasetFolder(input)) return this.task(() => this.analysis.dataset(model, input as readonly FeatureMapsInput[] | DatasetFolder, opts as DatasetOptions));
    return this.task(() => this.analysis.featureMaps(model, input as FeatureMapsInput, opts as FeatureMapsOptions));
  }

  /**
   * Compare two kept runs layer by layer (`a` the reference), each a `featureMaps` result, a run
   * id, or a step of window `opts.win`'s runs: per layer matched by node and shape, the cosine,
   * ‖A−B‖/‖A‖ and mean |A−B| of the stored maps, the channels that changed most, and the weights'
   * relative change.
   * @example
   * const before = await viz.featureMaps('epoch1.onnx', image, { win: 'train', step: 1 });
   * const after = await viz.featureMaps('epoch30.onnx', image, { win: 'train', step: 30 });
   * const { layers } = await viz.compare(before, after);
   * for (const l of layers) console.log(l.id, l.cosine, l.relL2, l.weightRelL2);
   */
  compare(a: RunRef | FeatureMapsResult, b: RunRef | FeatureMapsResult, opts: CompareOptions = {}): Promise<CompareResult> {
    const ref = (r: RunRef | FeatureMapsResult) => (typeof r === 'object' ? r.runId : r);
    const req: CompareRequest = { env: opts.env ?? this.options.env, a: ref(a), b: ref(b), ...setFields(opts, ['win', 'topChannels']) };
    return this.task(() => this.conn.request('run:compare', req, this.options.analysisTimeoutMs));
  }

  /**
   * Where the model looks when it predicts a class (the top-1 by default), from forward passes
   * alone: `occlusion` maps the target score's drop under a sliding patch; `score-cam` weighs a
   * conv layer's maps by the scores of the inputs they mask. The server shows the heatmap over
   * the input (window `win`) and its values (`<win>-heatmap`); `onProgress` hears the planned
   * passes before the first. Given a kept run, the heatmap is kept with the run, and
   * `GET /api/runs/:runId/attributions` reads it back.
   * @example
   * const a = await viz.attribution('resnet18.onnx', 'cat.jpg', { method: 'occlusion', patch: 32, stride: 16 });
   * console.log(a.target, a.passes, a.heatmap.length);
   * const run = await viz.featureMaps('resnet18.onnx', 'cat.jpg');
   * await viz.attribution(run, { method: 'score-cam' });
   */
  attribution(model: ModelSource, input: FeatureMapsInput, opts: AttributionOptions): Promise<AttributionResult>;
  attribution(run: { runId: string }, opts: RunAttributionOptions): Promise<AttributionResult>;
  attribution(first: ModelSource | { runId: string }, second: FeatureMapsInput | RunAttributionOptions, third?: AttributionOptions): Promise<AttributionResult> {
    if (typeof first === 'object' && 'runId' in first) {
      return this.task(() => this.analysis.runAttribution(first.runId, second as RunAttributionOptions));
    }
    return this.task(() => this.analysis.attribution(first, second as FeatureMapsInput, third as AttributionOptions));
  }

  /**
   * Show a model's layer graph (no run) in a graph window.
   * @example
   * await viz.modelGraph('resnet18.onnx', { win: 'arch' });
   */
  modelGraph(model: ModelSource, opts: ModelGraphOptions = {}): Promise<WindowAck> {
    return this.task(() => this.analysis.modelGraph(model, opts));
  }

  /**
   * Show conv layers' filters as image grids (`<winPrefix>-<layer>`) with a histogram of their
   * weights (`<winPrefix>-<layer>-hist`), read from the model (nothing runs): every conv layer, or
   * those `layer` names (a node name or module path like `layer1.0.conv1`, else part of a name or
   * op).
   * @example
   * const { layers } = await viz.filters('resnet18.onnx', 'conv1');
   * console.log(layers[0]?.shape); // [64, 3, 7, 7]
   */
  filters(model: ModelSource, layer?: string, opts: FiltersOptions = {}): Promise<FiltersResult> {
    return this.task(() => this.analysis.filters(model, layer, opts));
  }

  /**
   * Merge display options into a window's.
   * @example
   * await viz.updateOpts('loss', { ytype: 'log', title: 'Loss (log scale)' });
   */
  updateOpts(win: string, opts: UpdateOptsOptions): Promise<WindowAck> {
    const { env, ...display } = opts;
    return this.call('window:update', { env: env ?? this.options.env, win, op: { type: 'opts', opts: display } });
  }

  /**
   * Close (delete) a window.
   * @example
   * await viz.close('loss');
   */
  close(win: string, opts: EnvOptions = {}): Promise<{ env: string; win: string }> {
    return this.call('window:close', { env: opts.env ?? this.options.env, win });
  }

  /**
   * Read a window back, whole (images as URLs).
   * @example
   * const win = await viz.getWindow('loss');
   * console.log(win.content.kind, win.rev);
   */
  getWindow(win: string, opts: EnvOptions = {}): Promise<Window> {
    return this.call('window:get', { env: opts.env ?? this.options.env, win });
  }

  /**
   * List the environments.
   * @example
   * for (const env of await viz.envs()) console.log(env.id, env.windows);
   */
  envs(): Promise<EnvSummary[]> {
    return this.call('env:list', {});
  }

  /**
   * Copy every window of env `from` into a new env `to`.
   * @example
   * await viz.forkEnv('main', 'main-backup');
   */
  forkEnv(from: string, to: string): Promise<EnvSummary> {
    return this.call('env:fork', { from, to });
  }

  /**
   * Delete an env and all its windows.
   * @example
   * await viz.deleteEnv('scratch');
   */
  deleteEnv(env: string): Promise<{ env: string }> {
    return this.call('env:delete', { env });
  }

  /**
   * Wait for every call in flight to settle, then close the connection, so a
   * script can exit. Later calls reject with UNAVAILABLE.
   * @example
   * await viz.disconnect();
   */
  async disconnect(): Promise<void> {
    this.closing = true;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    this.conn.close();
  }

  /**
   * Start `fn` now (so calls reach the wire in call order) unless disconnect() was called, and
   * track it for disconnect(); it fails with a CnnvisClientError only.
   */
  private task<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(closedError());
    let promise: Promise<T>;
    try {
      promise = fn().catch((err: unknown) => {
        throw CnnvisClientError.from(err);
      });
    } catch (err) {
      promise = Promise.reject(CnnvisClientError.from(err));
    }
    this.pending.add(promise);
    const done = () => this.pending.delete(promise);
    promise.then(done, done);
    return promise;
  }

  private call<E extends RequestEvent>(event: E, payload: RequestOf<E>): Promise<ReplyOf<E>> {
    return this.task(() => this.conn.request(event, payload));
  }

  /** Plan and send a write: one request, a create or an update. */
  private write(plan: () => WritePlan): Promise<WindowAck> {
    return this.task(() => this.send(plan()));
  }

  /**
   * {@link write} with a lease on the buffer pool for the bytes of converted
   * pixels: nothing reads them once the write has settled, so the next image reuses them.
   */
  private writeLeasing(plan: (alloc: ByteAlloc) => WritePlan): Promise<WindowAck> {
    const lease = sharedBufferPool.lease();
    const done = this.write(() => plan(lease.take));
    done.then(lease.release, lease.release);
    return done;
  }

  private send(p: WritePlan): Promise<WindowAck> {
    if ('create' in p) return this.conn.request('window:create', p.create);
    return this.conn.request('window:update', p.update);
  }
}

function closedError(): CnnvisClientError {
  return new CnnvisClientError({ code: 'UNAVAILABLE', message: 'the client is disconnected (disconnect() was called)' });
}
