/** ONNX element types (by name) and shapes as the layer graph shows them. @module */
import type { TensorInfo } from '@cnnvis/protocol';
import type { TensorProto, TypeProto, ValueInfoProto } from './onnx-schema';

/** TensorProto.DataType by number, named as ONNX's helper `tensor_dtype_to_string` does, lower-cased. */
const DTYPE_NAMES = [
  'undefined', 'float', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool',
  'float16', 'double', 'uint32', 'uint64', 'complex64', 'complex128', 'bfloat16',
  'float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1',
  'float8e8m0', 'uint2', 'int2',
] as const;

/** The ONNX name of an element type number, e.g. `1` → `float`. */
export function dtypeName(elemType: number): string {
  return DTYPE_NAMES[elemType] ?? `dtype${elemType}`;
}

/** Element types whose activations cnnvis computes statistics of. */
export const FLOAT_DTYPES: ReadonlySet<string> = new Set(['float', 'float16', 'double']);

type Dim = number | string | null;

/** The dtype and shape a TypeProto declares, for tensor types only (else null). */
export function tensorTypeOf(type: TypeProto | undefined): { dtype: string; shape: Dim[] | null } | null {
  if (type?.value.case !== 'tensorType') return null;
  const t = type.value.value;
  const shape = t.shape
    ? t.shape.dim.map((d): Dim => {
        if (d.value.case === 'dimValue') return Number(d.value.value);
        if (d.value.case === 'dimParam') return d.value.value;
        return null;
      })
    : null;
  return { dtype: dtypeName(t.elemType), shape };
}

/** A ValueInfoProto as a TensorInfo; non-tensor types show as their kind, with no shape. */
export function tensorInfoOf(vi: ValueInfoProto): TensorInfo {
  const t = tensorTypeOf(vi.type);
  if (t) return { name: vi.name, ...t };
  const kind = vi.type?.value.case;
  return { name: vi.name, dtype: kind ? kind.replace(/Type$/, '') : 'unknown', shape: null };
}

/** The number of elements a tensor with these dims holds (1 for a scalar). */
export function elementCount(dims: readonly (number | bigint)[]): number {
  let n = 1;
  for (const d of dims) n *= Number(d);
  return n;
}

/** An initializer's summary: name, dtype, dims and element count. */
export function initializerInfo(t: TensorProto): { name: string; dtype: string; shape: number[]; params: number } {
  const shape = t.dims.map(Number);
  return { name: t.name, dtype: dtypeName(t.dataType), shape, params: elementCount(shape) };
}
