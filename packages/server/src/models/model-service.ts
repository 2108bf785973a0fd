/**
 * Uploaded models: receive (streamed, hashed, size-checked), verify the hash
 * names the bytes, parse once, keep the file and the parsed graph. A model is
 * stored once per SHA-256 whoever uploads it.
 * @module
 */
import { readFile, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { ModelIdSchema, type LayerGraph, type ModelUploadReply } from '@cnnvis/protocol';
import { fromWorkerError } from '../analysis/worker-errors';
import { CnnvisError } from '../errors';
import type { AnalysisStore, StoredModel } from '../store/analysis-store';
import { validate } from '../window-service';
import type { ModelFiles } from './model-files';
import { receiveUpload, tooLarge } from './receive-upload';

/** Turns a model's bytes into its layer graph; throws the worker's ModelError for a bad model. */
export type ParseModel = (bytes: Uint8Array, modelId: string) => LayerGraph;

export interface UploadOutcome {
  /** 201 when stored now, 200 when the server already had it. */
  status: 200 | 201;
  reply: ModelUploadReply;
}

function summary(model: Pick<StoredModel, 'id' | 'bytes' | 'graph'>, created: boolean): ModelUploadReply {
  const { graph } = model;
  const params = graph.initializers.reduce((n, init) => n + init.params, 0);
  return {
    modelId: model.id,
    bytes: model.bytes,
    created,
    graph: { nodes: graph.nodes.length, params, inputs: graph.inputs, outputs: graph.outputs },
  };
}

export class ModelService {
  constructor(
    private readonly store: AnalysisStore,
    readonly files: ModelFiles,
    private readonly parse: ParseModel,
    readonly maxModelBytes: number,
  ) {}

  /** The model's record when both the record and its file are there. */
  find(id: unknown): StoredModel | undefined {
    const modelId = validate(ModelIdSchema, id);
    const model = this.store.getModel(modelId);
    return model !== undefined && this.files.exists(modelId) ? model : undefined;
  }

  /** The model or NOT_FOUND naming the way to upload it. */
  get(id: unknown): StoredModel {
    const model = this.find(id);
    if (model === undefined) {
      throw CnnvisError.notFound(`model ${String(id)} is not on this server: upload it first (PUT /api/models/${String(id)})`);
    }
    return model;
  }

  /**
   * Whether a run of the model must compute conv filters: they depend on the
   * weights only, so once every conv layer's are stored, runs skip them (and a
   * ResNet-18 job stops sending 11 M weights back on every run).
   */
  needsFilters(model: StoredModel): boolean {
    const stored = this.store.filterNodes(model.id);
    return model.graph.nodes.some((n) => n.op === 'Conv' && !stored.has(n.id));
  }

  graph(id: unknown): LayerGraph {
    return this.get(id).graph;
  }

  /**
   * Store the body of `req` as model `id`. Already stored: answers at once
   * without reading the body (the caller closes the connection).
   */
  async upload(id: unknown, req: IncomingMessage): Promise<UploadOutcome> {
    const modelId = validate(ModelIdSchema, id);
    const known = this.find(modelId);
    if (known !== undefined) return { status: 200, reply: summary(known, false) };
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.maxModelBytes) throw tooLarge(this.maxModelBytes, `the model (${declared} bytes)`);

    const upload = await receiveUpload(req, this.files.tempPath(), this.maxModelBytes);
    try {
      if (upload.sha256 !== modelId) {
        throw new CnnvisError({
          code: 'BAD_REQUEST',
          message: `modelId: the body's SHA-256 is ${upload.sha256}, not ${modelId} (the id must be the SHA-256 of the model's bytes; was the upload altered?)`,
        });
      }
      const bytes = await readFile(upload.path);
      let graph: LayerGraph;
      try {
        graph = this.parse(bytes, modelId);
      } catch (err) {
        throw fromWorkerError(err);
      }
      await rename(upload.path, this.files.pathOf(modelId));
      const model = { id: modelId, bytes: upload.bytes, graph };
      this.store.saveModel(model);
      return { status: 201, reply: summary(model, true) };
    } finally {
      await rm(upload.path, { force: true });
    }
  }
}
