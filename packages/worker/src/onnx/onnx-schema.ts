/**
 * ONNX's protobuf messages, from `onnx-buf`. It ships ES modules only: Node >= 20.19 can
 * `require()` one and jest compiles it to CommonJS, so one `require` works in both.
 * @module
 */
import type * as OnnxPb from 'onnx-buf' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see the module comment
export const onnx = require('onnx-buf') as typeof OnnxPb;

export type ModelProto = OnnxPb.ModelProto;
export type GraphProto = OnnxPb.GraphProto;
export type NodeProto = OnnxPb.NodeProto;
export type TensorProto = OnnxPb.TensorProto;
export type SparseTensorProto = OnnxPb.SparseTensorProto;
export type FunctionProto = OnnxPb.FunctionProto;
export type ValueInfoProto = OnnxPb.ValueInfoProto;
export type AttributeProto = OnnxPb.AttributeProto;
export type TypeProto = OnnxPb.TypeProto;
