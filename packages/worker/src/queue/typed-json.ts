/**
 * JSON that keeps typed arrays (jobs and results cross Redis and HTTP as text), each as
 * `{ $typed: 'Float32Array', base64 }`.
 * @module
 */

const TYPES = { Uint8Array, Int32Array, Uint32Array, Float32Array, Float64Array } as const;
type TypedName = keyof typeof TYPES;

const isTypedName = (name: unknown): name is TypedName => typeof name === 'string' && Object.hasOwn(TYPES, name);

/**
 * @example
 * toTypedJson({ data: new Float32Array([1, 2]) }); // '{"data":{"$typed":"Float32Array","base64":"AACAPwAAAEA="}}'
 */
export function toTypedJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, value: unknown) {
    // The holder's own value: a Buffer's toJSON has already made `value` an object.
    const v = this[key];
    if (!ArrayBuffer.isView(v) || v instanceof DataView) return value;
    // A Buffer is a Uint8Array to its reader.
    const name = v instanceof Uint8Array ? 'Uint8Array' : v.constructor.name;
    if (!isTypedName(name)) throw new TypeError(`cannot send a ${v.constructor.name} as typed JSON`);
    return { $typed: name, base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  });
}

/**
 * The value {@link toTypedJson} wrote, typed arrays and all (each with its own aligned buffer).
 * @example
 * fromTypedJson<{ data: Float32Array }>(text).data; // Float32Array [1, 2]
 */
export function fromTypedJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || !('$typed' in v) || !('base64' in v)) return v;
    const { $typed: name, base64 } = v as { $typed: unknown; base64: unknown };
    if (!isTypedName(name) || typeof base64 !== 'string') throw new TypeError(`bad typed array in JSON: ${String(name)}`);
    const bytes = Buffer.from(base64, 'base64');
    const Type = TYPES[name];
    if (bytes.byteLength % Type.BYTES_PER_ELEMENT !== 0) throw new TypeError(`bad typed array in JSON: ${bytes.byteLength} bytes is no whole number of ${name} elements`);
    // Copied into a fresh buffer: Buffer.from may hand back a slice of a shared pool at any offset.
    const out = new Type(bytes.byteLength / Type.BYTES_PER_ELEMENT);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }) as T;
}
