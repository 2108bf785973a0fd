/**
 * The SDK's calls that take a model: get the model onto the server, send the request, and route
 * the server's `job:progress` pushes to the caller's `onProgress`.
 * @module
 */
import type { AnalyzeRequest, AttributionResult, DatasetResult, FeatureMapsResult, FiltersRequest, FiltersResult, JobProgress, ModelGraphRequest, WindowAck } from '@cnnvis/protocol';
import { attributionRequest, runAttributionRequest, type AttributionOptions, type RunAttributionOptions } from './attribution-request';
import { isCnnvisClientError } from './client-error';
import { datasetRequest, type DatasetFolder, type DatasetOptions } from './dataset-request';
import type { AckSocket, Connection, ReplyOf, RequestOf } from './connection';
import { toAnalyzeInput, type FeatureMapsInput } from './feature-maps';
import { readLabels } from './labels';
import { ModelUploader, type ModelSource } from './model-upload';
import { setFields } from './request-common';
import {
  FEATURE_MAPS_FIELDS,
  type AnalysisProgress,
  type CnnVisOptions,
  type FeatureMapsOptions,
  type FiltersOptions,
  type ModelGraphOptions,
} from './options';

/** Names the request's model: `given`, else the base name of a model given as a file path. */
function nameModel(req: { modelName?: string }, model: ModelSource, modelId: string, given: string | undefined): void {
  const name = given ?? (typeof model === 'string' && model !== modelId ? model.split(/[\\/]/).pop() : undefined);
  if (name !== undefined) req.modelName = name;
}

/**
 * The client's calls that take a model, over its connection; `socket` hears the progress pushes.
 * @example
 * const calls = new AnalysisCalls(conn, options, socket);
 * const result = await calls.featureMaps('convnet.onnx', { data, shape: [1, 1, 28, 28] });
 */
export class AnalysisCalls {
  private readonly uploader: ModelUploader;
  /** Progress callbacks of jobs in flight, by job id. */
  private readonly jobs = new Map<string, (p: AnalysisProgress) => void>();
  private jobCount = 0;

  constructor(
    private readonly conn: Connection,
    private readonly options: Readonly<CnnVisOptions>,
    socket: Pick<AckSocket, 'on'>,
  ) {
    this.uploader = new ModelUploader(options.url, options.token);
    socket.on('job:progress', (value) => {
      const p = value as JobProgress;
      this.jobs.get(p.jobId)?.({ stage: p.stage, fraction: p.fraction, ...(p.passes === undefined ? {} : { passes: p.passes }) });
    });
  }

  async featureMaps(model: ModelSource, input: FeatureMapsInput, opts: FeatureMapsOptions): Promise<FeatureMapsResult> {
    return this.withModel(model, opts.onProgress, async (modelId) => {
      const req: AnalyzeRequest = {
        env: opts.env ?? this.options.env,
        modelId,
        input: await toAnalyzeInput(input),
        ...setFields(opts, FEATURE_MAPS_FIELDS),
      };
      if (opts.labels !== undefined) req.labels = await readLabels(opts.labels);
      nameModel(req, model, modelId, opts.modelName);
      return this.send('analysis:run', req, opts.onProgress);
    });
  }

  async attribution(model: ModelSource, input: FeatureMapsInput, opts: AttributionOptions): Promise<AttributionResult> {
    return this.withModel(model, opts.onProgress, async (modelId) => {
      const req = await attributionRequest(modelId, input, opts, this.options.env);
      return this.send('attribution:run', req, opts.onProgress);
    });
  }

  /** An attribution of a kept run: no upload, the server has its model and input. */
  async runAttribution(runId: string, opts: RunAttributionOptions): Promise<AttributionResult> {
    return this.send('attribution:run', await runAttributionRequest(runId, opts), opts.onProgress);
  }

  async dataset(model: ModelSource, inputs: readonly FeatureMapsInput[] | DatasetFolder, opts: DatasetOptions): Promise<DatasetResult> {
    return this.withModel(model, opts.onProgress, async (modelId) => {
      const req = await datasetRequest(modelId, inputs, opts, this.options.env);
      nameModel(req, model, modelId, opts.modelName);
      return this.send('dataset:run', req, opts.onProgress);
    });
  }

  async modelGraph(model: ModelSource, opts: ModelGraphOptions): Promise<WindowAck> {
    return this.withModel(model, opts.onProgress, (modelId) => {
      const env = opts.env ?? this.options.env;
      const req: ModelGraphRequest = { env, modelId, ...setFields(opts, ['win']) };
      nameModel(req, model, modelId, opts.modelName);
      return this.conn.request('model:graph', req);
    });
  }

  /** One request: the server reads the weights from the model file and makes the panes. */
  async filters(model: ModelSource, layer: string | undefined, opts: FiltersOptions): Promise<FiltersResult> {
    return this.withModel(model, opts.onProgress, (modelId) => {
      const fields = setFields(opts, ['winPrefix', 'maxFilters', 'maxInputs']);
      const req: FiltersRequest = { env: opts.env ?? this.options.env, modelId, ...fields };
      if (layer !== undefined) req.layer = layer;
      nameModel(req, model, modelId, opts.modelName);
      // A worker reads the weights, so the request may wait behind jobs like a run does.
      return this.conn.request('model:filters', req, this.options.analysisTimeoutMs);
    });
  }

  /**
   * Runs `call` once the server has the model; should the server have lost a model this client
   * saw there (a new data dir: NOT_FOUND), it is uploaded again and `call` runs once more.
   */
  private async withModel<T>(model: ModelSource, onProgress: ((p: AnalysisProgress) => void) | undefined, call: (modelId: string) => Promise<T>): Promise<T> {
    const { modelId, asked } = await this.uploader.ensure(model, onProgress);
    try {
      return await call(modelId);
    } catch (err) {
      if (asked || !isCnnvisClientError(err) || err.code !== 'NOT_FOUND') throw err;
      this.uploader.forget(modelId);
      await this.uploader.ensure(model, onProgress);
      return call(modelId);
    }
  }

  /**
   * Send a job's request. Only with `onProgress` does it name a job, as the server pushes
   * progress to the SDK only for jobs it named (nine pushes a run, each waking both processes).
   */
  private async send<E extends 'analysis:run' | 'attribution:run' | 'dataset:run'>(event: E, req: RequestOf<E>, onProgress?: (p: AnalysisProgress) => void): Promise<ReplyOf<E>> {
    const timeout = this.options.analysisTimeoutMs;
    if (onProgress === undefined) return this.conn.request(event, req, timeout);
    const jobId = `sdk_${Math.random().toString(36).slice(2, 10)}_${++this.jobCount}`;
    this.jobs.set(jobId, onProgress);
    try {
      return await this.conn.request(event, { ...req, jobId }, timeout);
    } finally {
      this.jobs.delete(jobId);
    }
  }
}
