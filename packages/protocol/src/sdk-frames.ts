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

/** Whether `value` holds a Uint8Array anywhere: a walk that allocates nothing, unlike {@link extract}. */
function hasBinary(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return !isNumbers(value) && value.some(hasBinary);
  if (typeof value === 'object' && value !== null) {
    for (const k in value) if (hasBinary((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

function extract(value: unknown, out: Uint8Array[]): unknown {
  if (value instanceof Uint8Array) {
    out.push(value);
    return { [BIN]: out.length - 1 };
  }
  if (Array.isArray(value)) {
    if (isNumbers(value)) return value;
    return value.map((v) => extract(v, out));
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = extract(v, out);
    return copy;
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

/**
 * Encode a message (request or push) as a text or binary frame. `alloc` gives
 * the binary frame's bytes (the SDK reuses buffers: see its buffer-pool.ts);
 * every byte of what it returns is written.
 */
export function encodeFrame(parts: unknown[], alloc: (bytes: number) => Uint8Array = newBytes): string | Uint8Array {
  // Most frames carry no binary (plot points, big JSON results): skip copying them.
  if (!parts.some(hasBinary)) return JSON.stringify(parts);
  const atts: Uint8Array[] = [];
  const header = parts.map((p) => extract(p, atts));
  if (atts.length === 0) return JSON.stringify(parts);
  const json = new TextEncoder().encode(JSON.stringify([...header, atts.map((a) => a.byteLength)]));
  const total = 4 + json.byteLength + atts.reduce((n, a) => n + a.byteLength, 0);
  const out = alloc(total);
  new DataView(out.buffer, out.byteOffset, 4).setUint32(0, json.byteLength);
  out.set(json, 4);
  let at = 4 + json.byteLength;
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
  const header: unknown = JSON.parse(new TextDecoder().decode(data.subarray(4, 4 + headerLength)));
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
