/**
 * Every upload-time check of a decoded model, in one call, so the server
 * (on upload) and the worker (on load) refuse the same models with the same
 * messages.
 * @module
 */
import type { ModelProto } from './onnx-schema';
import { checkGraph } from './validate-graph';
import { checkInputShapes, checkTensors } from './validate-tensors';

/**
 * Throws BAD_MODEL naming the first fault: a tensor (anywhere in the model,
 * local functions included) whose data does not match its dims or lives
 * outside the model, an input no job could feed, a tensor nobody or two nodes
 * write, a graph without outputs, a cycle.
 * @example
 * checkModel(decodeModel(bytes));
 */
export function checkModel(model: ModelProto): void {
  if (!model.graph) return; // decodeModel already refuses a model without one
  checkInputShapes(model.graph);
  checkTensors(model);
  checkGraph(model.graph);
}
