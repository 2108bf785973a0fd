/**
 * Every upload-time check of a decoded model in one call, so the parse at upload and the worker's
 * load refuse the same models with the same messages.
 * @module
 */
import type { ModelProto } from './onnx-schema';
import { checkGraph } from './validate-graph';
import { checkInputShapes, checkTensors } from './validate-tensors';

/**
 * Every upload-time check of a decoded model, so upload and load refuse the same models:
 * throws BAD_MODEL naming the first fault.
 */
export function checkModel(model: ModelProto): void {
  if (!model.graph) return; // decodeModel already refuses a model without one
  checkInputShapes(model.graph);
  checkTensors(model);
  checkGraph(model.graph);
}
