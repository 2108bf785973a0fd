/**
 * `@cnnvis/worker`: reading ONNX models into layer graphs, running them with
 * every intermediate tensor exposed (ONNX Runtime, CUDA or CPU), and turning
 * the activations into statistics, feature maps and conv filters, in child
 * processes behind a bounded queue: all of `@cnnvis/worker/pool`, and what
 * loads ONNX Runtime.
 * @module
 */
export * from './pool-entry';
export { parseModel } from './onnx/parse-model';
export { ORT_MAX_IR_VERSION } from './onnx/decode-model';
export { analyzeModel, clearModelCache } from './analyze/analyze-model';
export { attributeModel } from './attribution/attribute-model';
export { datasetStats } from './dataset/dataset-stats';
export { bareRun, createBareRunner, type BareRunner } from './analyze/bare-run';
