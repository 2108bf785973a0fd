/**
 * Declared shapes and stored data, checked on upload, naming the tensor at fault. External data
 * is refused: beside the model on the server lies another user's model.
 * @module
 */
import { ModelError } from '../worker-error';
import { modelTensors } from './model-tensors';
import { onnx, type GraphProto, type ModelProto, type TensorProto } from './onnx-schema';
import { dtypeName, elementCount, tensorTypeOf } from './tensor-type';
import { isExternal } from './tensor-data';

/** The most values a fed input may hold: a Float32Array of 2^31 values is already 8 GiB. */
const MAX_INPUT_VALUES = 2 ** 31;

const D = onnx.TensorProto_DataType;
/** Bytes per element in raw_data (4-bit and 2-bit types pack several to a byte); strings have no fixed size. */
const RAW_BYTES: ReadonlyMap<number, number> = new Map([
  [D.FLOAT, 4], [D.UINT8, 1], [D.INT8, 1], [D.UINT16, 2], [D.INT16, 2], [D.INT32, 4], [D.INT64, 8], [D.BOOL, 1],
  [D.FLOAT16, 2], [D.DOUBLE, 8], [D.UINT32, 4], [D.UINT64, 8], [D.COMPLEX64, 8], [D.COMPLEX128, 16], [D.BFLOAT16, 2],
  [D.FLOAT8E4M3FN, 1], [D.FLOAT8E4M3FNUZ, 1], [D.FLOAT8E5M2, 1], [D.FLOAT8E5M2FNUZ, 1], [D.UINT4, 0.5], [D.INT4, 0.5],
  [D.FLOAT4E2M1, 0.5], [D.FLOAT8E8M0, 1], [D.UINT2, 0.25], [D.INT2, 0.25],
]);

const fmt = (dims: readonly (number | string | null)[]) => `[${dims.map((d) => d ?? '?').join(', ')}]`;

/** Throws BAD_MODEL naming the first tensor whose data does not match its dims, or is external. */
export function checkTensors(model: ModelProto): void {
  for (const { tensor, what } of modelTensors(model)) checkTensorData(tensor, what);
}

/** One tensor's dims against the data it holds. */
export function checkTensorData(t: TensorProto, what: string): void {
  const dims = t.dims.map(Number);
  if (isExternal(t)) {
    const location = t.externalData.find((e) => e.key === 'location')?.value;
    throw new ModelError(
      'BAD_MODEL',
      `${what} keeps its data in an external file${location ? ` ('${location}')` : ''}; the server receives only the .onnx file, so export the model with its weights inside it`,
    );
  }
  if (dims.some((d) => d < 0)) throw new ModelError('BAD_MODEL', `${what} declares dims ${fmt(dims)}: a dimension cannot be negative`);
  if (t.dataType === D.UNDEFINED) throw new ModelError('BAD_MODEL', `${what} has no element type (data_type 0)`);
  const count = elementCount(dims);
  const size = RAW_BYTES.get(t.dataType);
  const declares = `${what} declares dims ${fmt(dims)} (${count} ${dtypeName(t.dataType)} values${size ? `, ${Math.ceil(count * size)} bytes` : ''})`;
  if (t.rawData.length > 0) {
    if (size !== undefined && t.rawData.length !== Math.ceil(count * size)) {
      throw new ModelError('BAD_MODEL', `${declares} but its raw_data holds ${t.rawData.length} bytes`);
    }
    return;
  }
  const held = typedValues(t);
  if (count > 0 && held === 0) throw new ModelError('BAD_MODEL', `${declares} but holds no data`);
  const perValue = t.dataType === D.COMPLEX64 || t.dataType === D.COMPLEX128 ? 2 : 1;
  // Packed sub-byte types' typed fields are not checked value by value: their packing varies by exporter.
  if (size !== undefined && size >= 1 && held !== count * perValue) {
    throw new ModelError('BAD_MODEL', `${declares} but holds ${held / perValue} values`);
  }
}

/** How many values the typed field that the tensor's type uses holds. */
function typedValues(t: TensorProto): number {
  switch (t.dataType) {
    case D.FLOAT:
    case D.COMPLEX64:
      return t.floatData.length;
    case D.DOUBLE:
    case D.COMPLEX128:
      return t.doubleData.length;
    case D.INT64:
      return t.int64Data.length;
    case D.UINT32:
    case D.UINT64:
      return t.uint64Data.length;
    case D.STRING:
      return t.stringData.length;
    default:
      return t.int32Data.length;
  }
}

/** Throws BAD_MODEL for a graph input no job could feed (a negative or huge shape). */
export function checkInputShapes(g: GraphProto): void {
  const weights = new Set(g.initializer.map((t) => t.name));
  for (const vi of g.input) {
    if (weights.has(vi.name)) continue;
    const shape = tensorTypeOf(vi.type)?.shape;
    if (!shape) continue;
    const fixed = shape.filter((d): d is number => typeof d === 'number');
    if (fixed.some((d) => d < 0)) throw new ModelError('BAD_MODEL', `input '${vi.name}' declares shape ${fmt(shape)}: a dimension cannot be negative`);
    const values = elementCount(fixed);
    if (values > MAX_INPUT_VALUES) {
      throw new ModelError(
        'BAD_MODEL',
        `input '${vi.name}' declares shape ${fmt(shape)}, ${values.toPrecision(3)} values: no input that large can be fed (${MAX_INPUT_VALUES} values at most)`,
      );
    }
  }
}
