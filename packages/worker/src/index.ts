/**
 * `@cnnvis/worker`: reading ONNX models into layer graphs, running them with
 * every intermediate tensor exposed (ONNX Runtime, CUDA or CPU), and turning
 * the activations into statistics, feature maps and conv filters, in child
 * processes behind a bounded queue.
 * @module
 */
export { parseModel } from './onnx/parse-model';
export { ORT_MAX_IR_VERSION } from './onnx/decode-model';
export { nameGroups } from './onnx/name-groups';
export { analyzeModel, clearModelCache } from './analyze/analyze-model';
export type { AnalyzeInput, AnalyzeJob, AnalyzeOutput, AnalyzeProgress, FeatureMap, FeatureMapRange, FilterSet } from './analyze/analyze-types';
export { bareRun, createBareRunner, type BareRunner } from './analyze/bare-run';
export { writeMapsFile } from './analyze/maps-file';
export { readChannels, readChannelStats, readLayers, readMapBytes } from './analyze/maps-reader';
export { isFileChannels, packChannels, unpackChannels, type ChannelArrays, type FileChannels, type PackedChannels } from './stats/packed-channels';
export { createWorkerPool, type PoolJob, type WorkerPool } from './pool/worker-pool';
export { resolveWorkerPoolOptions, WORKER_POOL_DEFAULTS, type WorkerPoolOptions } from './pool/pool-options';
export type { ProviderRequest } from './runtime/open-session';
export { resolvePreprocess } from './image/preprocess-image';
export {
  fromWorkerErrorBody,
  isWorkerError,
  ModelError,
  toWorkerErrorBody,
  WORKER_ERROR_CODES,
  WorkerError,
  type WorkerErrorBody,
  type WorkerErrorCode,
} from './worker-error';
