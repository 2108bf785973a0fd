/** Reading a tensor's values from `raw_data` or the typed fields (never external data). @module */
import { halfToFloat } from '../stats/float-view';
import type { TensorProto } from './onnx-schema';
import { onnx } from './onnx-schema';
import { elementCount } from './tensor-type';

/** True when the tensor's values live in an external file, not in the model. */
export function isExternal(t: TensorProto): boolean {
  return t.dataLocation === onnx.TensorProto_DataLocation.EXTERNAL || t.externalData.length > 0;
}

/** A float, float16 or double tensor's values as float32, else null. */
export function readFloatTensor(t: TensorProto): Float32Array | null {
  const D = onnx.TensorProto_DataType;
  if (isExternal(t)) return null;
  const n = elementCount(t.dims);
  const raw = t.rawData;
  switch (t.dataType) {
    case D.FLOAT:
      if (raw.length > 0) return raw.length === n * 4 ? viewOrCopy(raw, Float32Array, n) : null;
      return t.floatData.length === n ? Float32Array.from(t.floatData) : null;
    case D.DOUBLE:
      if (raw.length > 0) return raw.length === n * 8 ? Float32Array.from(viewOrCopy(raw, Float64Array, n)) : null;
      return t.doubleData.length === n ? Float32Array.from(t.doubleData) : null;
    case D.FLOAT16: {
      // float16 is stored as uint16 bit patterns: in raw_data, or one per int32_data entry.
      const bits = raw.length > 0 ? (raw.length === n * 2 ? viewOrCopy(raw, Uint16Array, n) : null) : Uint16Array.from(t.int32Data);
      return bits && bits.length === n ? halfToFloat(bits) : null;
    }
    default:
      return null;
  }
}

/** Any numeric tensor's values as plain numbers (for small tensors shown in attributes), or null. */
export function readTensorNumbers(t: TensorProto): number[] | null {
  const D = onnx.TensorProto_DataType;
  const floats = readFloatTensor(t);
  if (floats) return Array.from(floats);
  if (isExternal(t)) return null;
  const n = elementCount(t.dims);
  const raw = t.rawData;
  const fromRaw = <T extends ArrayLike<number | bigint>>(ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }) =>
    raw.length === n * ctor.BYTES_PER_ELEMENT ? Array.from(new ctor(copyBytes(raw)), Number) : null;
  switch (t.dataType) {
    case D.INT64:
      return raw.length > 0 ? fromRaw(BigInt64Array) : t.int64Data.map(Number);
    case D.UINT64:
      return raw.length > 0 ? fromRaw(BigUint64Array) : t.uint64Data.map(Number);
    case D.INT32:
      return raw.length > 0 ? fromRaw(Int32Array) : t.int32Data;
    case D.INT8:
      return raw.length > 0 ? fromRaw(Int8Array) : t.int32Data;
    case D.UINT8:
    case D.BOOL:
      return raw.length > 0 ? fromRaw(Uint8Array) : t.int32Data;
    default:
      return null;
  }
}

type TypedCtor<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** A typed view of little-endian bytes: no copy when the bytes are aligned, else a copy. */
function viewOrCopy<T>(bytes: Uint8Array, ctor: TypedCtor<T>, n: number): T {
  if (bytes.byteOffset % ctor.BYTES_PER_ELEMENT === 0) return new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, n);
  return new ctor(copyBytes(bytes), 0, n);
}

/** A fresh, aligned copy. (`bytes.slice()` would not do: on a Buffer, slice is a view.) */
function copyBytes(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}
