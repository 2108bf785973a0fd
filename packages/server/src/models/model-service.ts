/**
 * Uploaded models: receive (streamed, hashed, size-checked), verify the hash names the bytes, parse
 * once, keep the file and the parsed graph. A model is stored once per SHA-256 whoever uploads it.
 * The server never holds a model's bytes: they stream to a file that a worker process parses, and
 * only so many uploads run at once; the others wait their turn unread.
 * @module
 */
import { rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { ModelIdSchema, type LayerGraph, type ModelUploadReply } from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import type { AnalysisStore, StoredModel } from '../store/analysis-store';
import { validate } from '../window-service';
import type { ModelFiles } from './model-files';
import { receiveUpload, tooLarge } from './receive-upload';

/**
 * Reads the model file at `path` into its layer graph, out of the server's
 * process; rejects with a CnnvisError (BAD_REQUEST naming the fault of a bad model).
 */
export type ParseModel = (path: string, modelId: string) => Promise<LayerGraph>;

export interface ModelServiceDeps {
  store: AnalysisStore;
  files: ModelFiles;
  parse: ParseModel;
  /** Largest upload, in bytes. */
  maxModelBytes: number;
  /** Uploads received and parsed at once; more wait, and past {@link WAITING_FACTOR} times as many are refused. */
  maxConcurrentUploads: number;
}

/** Uploads that may wait for a place, per place; one more is refused with UNAVAILABLE. */
const WAITING_FACTOR = 16;

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
  readonly files: ModelFiles;
  readonly maxModelBytes: number;
  /** Uploads being received or parsed now. */
  private uploading = 0;
  /** Uploads waiting for a place, first come first served. Their bodies stay in the kernel's buffers, unread. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly deps: ModelServiceDeps) {
    this.files = deps.files;
    this.maxModelBytes = deps.maxModelBytes;
  }

  /** The model's record when both the record and its file are there. */
  async find(id: unknown): Promise<StoredModel | undefined> {
    const modelId = validate(ModelIdSchema, id);
    const model = await this.deps.store.getModel(modelId);
    return model !== undefined && this.files.exists(modelId) ? model : undefined;
  }

  /** The model or NOT_FOUND naming the way to upload it. */
  async get(id: unknown): Promise<StoredModel> {
    const model = await this.find(id);
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
  async needsFilters(model: StoredModel): Promise<boolean> {
    const stored = await this.deps.store.filterNodes(model.id);
    return model.graph.nodes.some((n) => n.op === 'Conv' && !stored.has(n.id));
  }

  async graph(id: unknown): Promise<LayerGraph> {
    return (await this.get(id)).graph;
  }

  /**
   * Store the body of `req` as model `id`. Already stored, too large by its
   * declared length, or with too many uploads waiting already: answers at
   * once without reading the body (the caller closes the connection).
   */
  async upload(id: unknown, req: IncomingMessage): Promise<UploadOutcome> {
    const modelId = validate(ModelIdSchema, id);
    const known = await this.find(modelId);
    if (known !== undefined) return { status: 200, reply: summary(known, false) };
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.maxModelBytes) throw tooLarge(this.maxModelBytes, `the model (${declared} bytes)`);
    await this.takePlace(req);
    try {
      return await this.receive(modelId, req);
    } finally {
      this.release();
    }
  }

  /** Hand the place to the first upload waiting, or free it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.uploading--;
    else next();
  }

  /** Wait for one of the `maxConcurrentUploads` places; one whose client leaves while waiting gives up its turn. */
  private async takePlace(req: IncomingMessage): Promise<void> {
    if (this.uploading < this.deps.maxConcurrentUploads) {
      this.uploading++;
      return;
    }
    if (this.waiting.length >= WAITING_FACTOR * this.deps.maxConcurrentUploads) {
      throw new CnnvisError({
        code: 'UNAVAILABLE',
        message: `the server is receiving ${this.uploading} model uploads and ${this.waiting.length} more wait (see --max-concurrent-uploads); try again when one has finished`,
      });
    }
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        req.off('close', leave);
        // The place came straight from the upload that ended; a client gone meanwhile passes it on.
        if (req.destroyed) {
          this.release();
          return reject(new CnnvisError({ code: 'BAD_REQUEST', message: 'body: the upload was cut off before its end' }));
        }
        resolve();
      };
      const leave = () => {
        const at = this.waiting.indexOf(turn);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(new CnnvisError({ code: 'BAD_REQUEST', message: 'body: the upload was cut off before its end' }));
      };
      this.waiting.push(turn);
      req.once('close', leave);
    });
  }

  /** Streams the body to a temporary file, checks its hash, has a worker parse it, then keeps it. */
  private async receive(modelId: string, req: IncomingMessage): Promise<UploadOutcome> {
    const upload = await receiveUpload(req, this.files.tempPath(), this.maxModelBytes);
    try {
      if (upload.sha256 !== modelId) {
        throw new CnnvisError({
          code: 'BAD_REQUEST',
          message: `modelId: the body's SHA-256 is ${upload.sha256}, not ${modelId} (the id must be the SHA-256 of the model's bytes; was the upload altered?)`,
        });
      }
      const graph = await this.deps.parse(upload.path, modelId);
      await rename(upload.path, this.files.pathOf(modelId));
      const model = { id: modelId, bytes: upload.bytes, graph };
      await this.deps.store.saveModel(model);
      return { status: 201, reply: summary(model, true) };
    } finally {
      await rm(upload.path, { force: true });
    }
  }
}
