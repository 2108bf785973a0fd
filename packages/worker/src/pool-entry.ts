/**
 * `@cnnvis/worker/pool`: what a process that hands models to worker children needs, and nothing
 * that loads ONNX Runtime, so the server's own process maps no `libonnxruntime`.
 * @module
 */
export type { AnalyzeInput, AnalyzeJob, AnalyzeOutput, AnalyzeProgress, FeatureMap, FeatureMapRange, FilterSet, FiltersJob, InputThumbnail, WeightDiff, WeightDiffJob } from './analyze/analyze-types';
export type { DatasetJob, DatasetLayer, DatasetOutput, DatasetProgress } from './dataset/dataset-types';
export { inputReader, type DatasetInputs, type SpooledInputs } from './dataset/spooled-inputs';
export type { AttributionJob, AttributionMethod, AttributionOutput, AttributionProgress } from './attribution/attribution-types';
export { appendToMapsFile, writeMapsFile } from './analyze/maps-file';
export { readChannels, readChannelStats, readLayers, readMapBytes, readMapsFileRange } from './analyze/maps-reader';
export { isFileChannels, packChannels, unpackChannels, type ChannelArrays, type FileChannels, type PackedChannels } from './stats/packed-channels';
export { createWorkerPool, type PoolAttributionJob, type PoolDatasetJob, type PoolJob, type WorkerPool } from './pool/worker-pool';
export { resolveWorkerPoolOptions, WORKER_POOL_DEFAULTS, type WorkerPoolOptions } from './pool/pool-options';
export type { ProviderRequest } from './runtime/open-session';
export { isWorkerError, ModelError, WORKER_ERROR_CODES, WorkerError, type WorkerErrorCode } from './worker-error';
export { gpuName } from './runtime/gpu-name';
export { DEFAULT_JOB_QUEUE, fromFailedReason, queueJobData, queueKeys, readQueueJob, WORKER_HEARTBEAT_MS, type QueueJob, type QueueJobData, type QueueResult, type WorkerRecord } from './queue/queue-job';
export { fromTypedJson, toTypedJson } from './queue/typed-json';
