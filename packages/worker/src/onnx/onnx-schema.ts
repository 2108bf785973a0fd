/**
 * ONNX's protobuf messages, from `onnx-buf` (generated from ONNX 1.20's
 * onnx.proto by protoc-gen-es). That package ships ES modules only, while this
 * package compiles to CommonJS; Node >= 20.19 can `require()` an ES module, and
 * jest compiles onnx-buf to CommonJS (see the root jest.config.js), so the one
 * `require` below works in both, and the types come from a type-only import.
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
