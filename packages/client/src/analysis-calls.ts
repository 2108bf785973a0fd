/**
 * The SDK's analysis calls behind `viz.featureMaps`, `viz.modelGraph` and
 * `viz.filters`: get the model onto the server (once per SHA-256), send the
 * request with a job id, and route the server's `job:progress` pushes for
 * that id to the caller's `onProgress`.
 * @module
 */
import type { AnalyzeRequest, FeatureMapsResult, JobProgress, WindowAck } from '@cnnvis/protocol';
import type { Connection } from './connection';
import { toAnalyzeInput, type FeatureMapsInput } from './feature-maps';
import { pushFilters, type FiltersDeps, type FiltersResult } from './filters-push';
import { ModelUploader, type ModelSource } from './model-upload';
import type { AnalysisProgress, CnnVisOptions, FeatureMapsOptions, FiltersOptions, ModelGraphOptions } from './options';

/** What the calls need from the client: its connection, options and plain window writes. */
export interface AnalysisCallsDeps {
  conn: Connection;
  options: Readonly<CnnVisOptions>;
  /** Subscribe to a server push (the SDK socket's `on`). */
  onPush(event: 'job:progress', listener: (value: unknown) => void): void;
  images: FiltersDeps['images'];
  bars: FiltersDeps['bars'];
}

/**
 * @example
 * const calls = new AnalysisCalls({ conn, options, onPush: (e, fn) => socket.on(e, fn), images, bars });
 * const result = await calls.featureMaps('convnet.onnx', { data, shape: [1, 1, 28, 28] });
 */
export class AnalysisCalls {
  private readonly uploader: ModelUploader;
  /** Progress callbacks of jobs in flight, by job id. */
  private readonly jobs = new Map<string, (p: AnalysisProgress) => void>();
  private jobCount = 0;

  constructor(private readonly deps: AnalysisCallsDeps) {
    this.uploader = new ModelUploader(deps.options.url, deps.options.token);
    deps.onPush('job:progress', (value) => {
      const p = value as JobProgress;
      this.jobs.get(p.jobId)?.({ stage: p.stage, fraction: p.fraction });
    });
  }

  async featureMaps(model: ModelSource, input: FeatureMapsInput, opts: FeatureMapsOptions): Promise<FeatureMapsResult> {
    const modelId = await this.uploader.ensure(model, opts.onProgress);
    const req: AnalyzeRequest = { env: opts.env ?? this.deps.options.env, modelId, input: await toAnalyzeInput(input) };
    if (opts.layers !== undefined) req.layers = opts.layers;
    if (opts.maxChannels !== undefined) req.maxChannels = opts.maxChannels;
    if (opts.winPrefix !== undefined) req.winPrefix = opts.winPrefix;
    if (opts.preprocess !== undefined) req.preprocess = opts.preprocess;
    if (opts.channelStats !== undefined) req.channelStats = opts.channelStats;
    return this.analyze(req, opts.onProgress);
  }

  async modelGraph(model: ModelSource, opts: ModelGraphOptions): Promise<WindowAck> {
    const modelId = await this.uploader.ensure(model, opts.onProgress);
    const req = { env: opts.env ?? this.deps.options.env, modelId, ...(opts.win === undefined ? {} : { win: opts.win }) };
    return this.deps.conn.request('model:graph', req);
  }

  async filters(model: ModelSource, layer: string | undefined, opts: FiltersOptions): Promise<FiltersResult> {
    const modelId = await this.uploader.ensure(model, opts.onProgress);
    const deps: FiltersDeps = {
      baseUrl: this.deps.options.url,
      token: this.deps.options.token,
      analyze: (req) => this.analyze(req, opts.onProgress),
      images: this.deps.images,
      bars: this.deps.bars,
    };
    return pushFilters(deps, { modelId, env: opts.env ?? this.deps.options.env, layer, opts });
  }

  /** Run an analysis request, routing its progress pushes to `onProgress`. */
  private async analyze(req: AnalyzeRequest, onProgress?: (p: AnalysisProgress) => void): Promise<FeatureMapsResult> {
    const jobId = `sdk_${Math.random().toString(36).slice(2, 10)}_${++this.jobCount}`;
    if (onProgress !== undefined) this.jobs.set(jobId, onProgress);
    try {
      return await this.deps.conn.request('analysis:run', { ...req, jobId }, this.deps.options.analysisTimeoutMs);
    } finally {
      this.jobs.delete(jobId);
    }
  }
}
