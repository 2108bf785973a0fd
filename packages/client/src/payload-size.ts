/**
 * A cheap bound of a socket.io message's bytes, to refuse one over the server's limit (the server
 * would drop the connection, and every call in flight with it).
 * @module
 */

// An upper bound of the JSON text of one number (`-1.2345678901234567e-123`).
const MAX_NUMBER_CHARS = 24;
// What socket.io puts in the JSON in place of each binary attachment.
const PLACEHOLDER_CHARS = '{"_placeholder":true,"num":0000}'.length;

/** Walk `value` and bound its size from above without building any string. */
function upperBound(value: unknown, depth = 0): number {
  if (typeof value === 'number') return MAX_NUMBER_CHARS;
  // JSON escapes may grow a character up to 6 bytes (`\u001f`); UTF-8 up to 3.
  if (typeof value === 'string') return value.length * 6 + 2;
  if (value === null || typeof value !== 'object' || depth > 64) return 5;
  if (ArrayBuffer.isView(value)) return value.byteLength + PLACEHOLDER_CHARS;
  let size = 2;
  if (Array.isArray(value)) {
    for (const item of value) size += upperBound(item, depth + 1) + 1;
    return size;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) size += key.length * 6 + 4 + upperBound(item, depth + 1);
  }
  return size;
}

/** The exact JSON length plus the binary attachments' lengths. */
function exactSize(value: unknown): number {
  let binary = 0;
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // `this[key]` is the value before toJSON, which turns a Buffer into an array of numbers.
    const raw = this[key];
    if (ArrayBuffer.isView(raw)) {
      binary += raw.byteLength;
      return { _placeholder: true, num: 0 };
    }
    return v;
  });
  return binary + new TextEncoder().encode(json ?? '').byteLength;
}

/**
 * The size of `payload` on the wire: a quick upper bound, exact when that bound is over `limit`.
 * @example
 * if (estimatePayloadBytes(req, limit) > limit) throw new Error('too large');
 */
export function estimatePayloadBytes(payload: unknown, limit: number): number {
  const bound = upperBound(payload);
  return bound <= limit ? bound : exactSize(payload);
}
