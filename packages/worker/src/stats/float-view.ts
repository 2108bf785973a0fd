/**
 * Float data as float32, whatever precision a tensor came in: ONNX Runtime returns float16 as raw
 * uint16 bit patterns and float64 as Float64Array.
 * @module
 */
/** IEEE 754 half-precision bit patterns (as ONNX Runtime returns float16) to float32 values. */
export function halfToFloat(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i] ?? 0;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp === 31) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

/** An ONNX Runtime tensor's data as float32, or null when its type is not float. */
export function asFloat32(type: string, data: unknown): Float32Array | null {
  if (type === 'float32' && data instanceof Float32Array) return data;
  if (type === 'float64' && data instanceof Float64Array) return Float32Array.from(data);
  if (type === 'float16') {
    if (data instanceof Uint16Array) return halfToFloat(data);
    // Runtimes that have Float16Array hand that back instead of bit patterns.
    if (ArrayBuffer.isView(data) && 'length' in data) return Float32Array.from(data as unknown as ArrayLike<number>);
  }
  return null;
}

/** ONNX Runtime's tensor type names that carry floating-point activations. */
export const ORT_FLOAT_TYPES: ReadonlySet<string> = new Set(['float32', 'float16', 'float64']);
