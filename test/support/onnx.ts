/**
 * ONNX's protobuf messages for tests that build models, from `onnx-buf`
 * (generated from onnx.proto). It ships ES modules only while the tests run
 * as CommonJS: jest compiles it (see jest.config.js), so one `require` serves
 * and the types come from a type-only import. The worker reads models with
 * the same package; tests of every package build theirs through this module
 * rather than reach into the worker's source.
 */
import type * as OnnxPb from 'onnx-buf' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- onnx-buf is ES modules only; see the comment above
export const onnx = require('onnx-buf') as typeof OnnxPb;

export type AttributeProto = OnnxPb.AttributeProto;
export type GraphProto = OnnxPb.GraphProto;
export type ModelProto = OnnxPb.ModelProto;
export type NodeProto = OnnxPb.NodeProto;
export type TensorProto = OnnxPb.TensorProto;
export type ValueInfoProto = OnnxPb.ValueInfoProto;
