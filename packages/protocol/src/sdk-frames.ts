/**
 * The SDK channel's framing: the same events and envelopes as the socket.io
 * API, over a plain WebSocket at {@link SDK_CHANNEL_PATH}. The SDK uses it
 * because a socket.io round trip costs several times a plain WebSocket one
 * (see bench/), and training code waits on every append.
 *
 * A frame without binary data is JSON text: `[id, event, payload]` for a
 * request, `[id, envelope]` for its reply, `[0, event, payload]` for a push.
 * A frame with binary data is one binary message:
 * `u32 header length | header JSON | attachment 0 | attachment 1 | …`, where the
 * header is `[id, event, payload, [byteLength, …]]` and each Uint8Array in the
 * payload is replaced by `{ "$bin": index }`.
 * @module
 */

/** Where the server listens for SDK WebSockets. */
export const SDK_CHANNEL_PATH = '/sdk';

/** A decoded request: `[id, event, payload]`. */
export type RequestFrame = [id: number, event: string, payload: unknown];

const BIN = '$bin';

/** Arrays of plain numbers (points) hold no binary: skip them without copying. */
function isNumbers(value: unknown[]): boolean {
  return value.every((v) => typeof v === 'number');
}

/**
 * `value` with every Uint8Array in it moved to `out` and replaced by
 * `{ "$bin": index }`. Copy on write: what holds no binary is returned as is,
 * so a frame without binary (plot points) costs one walk and no copies.
 */
function extract(value: unknown, out: Uint8Array[]): unknown {
  if (value instanceof Uint8Array) {
    out.push(value);
    return { [BIN]: out.length - 1 };
  }
  if (Array.isArray(value)) {
    if (isNumbers(value)) return value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const e = extract(v, out);
      if (e !== v) (copy ??= value.slice())[i] = e;
    }
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    let copy: Record<string, unknown> | undefined;
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      const e = extract(v, out);
      if (e !== v) (copy ??= { ...value })[k] = e;
    }
    return copy ?? value;
  }
  return value;
}

function restore(value: unknown, atts: readonly Uint8Array[]): unknown {
  if (Array.isArray(value)) {
    if (isNumbers(value)) return value;
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i], atts);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const index = record[BIN];
    if (typeof index === 'number' && Object.keys(record).length === 1) return atts[index] ?? null;
    for (const k of Object.keys(record)) record[k] = restore(record[k], atts);
  }
  return value;
}

const newBytes = (bytes: number) => new Uint8Array(bytes);
// One of each for every frame: constructing them per frame cost the server ~2 µs a request.
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Encode a message (request or push) as a text or binary frame. `alloc` gives
 * the binary frame's bytes (the SDK reuses buffers: see its buffer-pool.ts);
 * every byte of what it returns is written.
 */
export function encodeFrame(parts: unknown[], alloc: (bytes: number) => Uint8Array = newBytes): string | Uint8Array {
  const atts: Uint8Array[] = [];
  const header = extract(parts, atts) as unknown[];
  // Most frames carry no binary (plot points, big JSON results): they go as text, uncopied.
  if (atts.length === 0) return JSON.stringify(parts);
  const json = JSON.stringify([...header, atts.map((a) => a.byteLength)]);
  const binaryBytes = atts.reduce((n, a) => n + a.byteLength, 0);
  // JSON is ASCII but for non-ASCII text in strings: then its UTF-8 takes one byte per
  // character and is encoded straight into the frame; otherwise it is measured first.
  let out = alloc(4 + json.length + binaryBytes);
  const { read, written } = utf8Encoder.encodeInto(json, out.subarray(4));
  let headerBytes = written;
  if (read !== json.length || written !== json.length) {
    const encoded = utf8Encoder.encode(json);
    headerBytes = encoded.byteLength;
    out = alloc(4 + headerBytes + binaryBytes);
    out.set(encoded, 4);
  }
  new DataView(out.buffer, out.byteOffset, 4).setUint32(0, headerBytes);
  let at = 4 + headerBytes;
  for (const a of atts) {
    out.set(a, at);
    at += a.byteLength;
  }
  return out;
}

/** Decode a text or binary frame into its parts; throws on a malformed frame. */
export function decodeFrame(data: string | Uint8Array): unknown[] {
  if (typeof data === 'string') {
    const parts: unknown = JSON.parse(data);
    if (!Array.isArray(parts)) throw new Error('frame: must be a JSON array');
    return parts;
  }
  if (data.byteLength < 4) throw new Error('frame: too short');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const headerLength = view.getUint32(0);
  if (4 + headerLength > data.byteLength) throw new Error('frame: header length beyond the frame');
  const header: unknown = JSON.parse(utf8Decoder.decode(data.subarray(4, 4 + headerLength)));
  if (!Array.isArray(header) || header.length < 2) throw new Error('frame: header must be a JSON array');
  const lengths: unknown = header.pop();
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new Error('frame: attachment lengths must be non-negative integers');
  }
  const atts: Uint8Array[] = [];
  let at = 4 + headerLength;
  for (const n of lengths as number[]) {
    if (at + n > data.byteLength) throw new Error('frame: attachment beyond the frame');
    atts.push(data.subarray(at, at + n));
    at += n;
  }
  return header.map((p) => restore(p, atts));
}
