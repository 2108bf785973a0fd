/**
 * `@cnnvis/worker`: all of `@cnnvis/worker/pool`, and what loads ONNX Runtime to read models and
 * turn their activations into statistics, feature maps and filters.
 * @module
 */
export * from './pool-entry';
export { parseModel } from './onnx/parse-model';
export { ORT_MAX_IR_VERSION } from './onnx/decode-model';
export { analyzeModel, clearModelCache } from './analyze/analyze-model';
export { attributeModel } from './attribution/attribute-model';
export { datasetStats } from './dataset/dataset-stats';
export { createBareRunner, type BareRunner } from './analyze/bare-run';
