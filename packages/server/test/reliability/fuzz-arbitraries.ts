/**
 * fast-check generators of malformed input for the fuzz test: hostile values,
 * mutations of a valid payload (a field dropped, retyped, added, nested deep),
 * and raw bodies JSON.parse cannot take as they are (truncated, NaN tokens,
 * invalid UTF-8, 10k-deep nesting, over the payload limit).
 */
import fc from 'fast-check';

/** Ids and strings that have broken servers before: traversal, NUL, SQL, prototype keys, lone surrogates. */
export const HOSTILE_STRINGS = [
  '../../etc/passwd',
  '..\\x',
  '%2e%2e%2f',
  '%2E%2E%2F%2E%2E%2Fetc',
  'a/b',
  '.',
  '..',
  'nul\u0000byte',
  "x'); DROP TABLE windows;--",
  '__proto__',
  'constructor',
  'hasOwnProperty',
  '',
  ' ',
  '\uD800',
  '\uFFFF\uFFFE',
  '<script>alert(1)</script>',
  '%',
  '%E0%A4%A',
  '\r\nSet-Cookie: x=1',
  '🙂'.repeat(40),
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  // Past every id limit (128) and the short-string limits (1000), but well under the payload limit.
  { weight: 1, arbitrary: fc.integer({ min: 129, max: 20_000 }).map((n) => 'y'.repeat(n)) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1e308, 2 ** 53 + 1, -1, 1.5, 2 ** 32, Number.MIN_VALUE),
  fc.integer(),
  fc.double(),
);

/**
 * `depth` nested arrays around `inner`. Past ~4k levels V8's JSON.stringify
 * overflows, so deep values stay markers until {@link jsonText} writes them.
 */
export class Deep {
  constructor(
    readonly depth: number,
    readonly inner: unknown = 0,
  ) {}
}

export function nested(depth: number, inner: unknown = 0): Deep {
  return new Deep(depth, inner);
}

/** Whether a value holds a {@link Deep} marker, so only {@link jsonText} can write it. */
export function hasDeep(value: unknown): boolean {
  if (value instanceof Deep) return true;
  // Array.prototype's, not value.some: a mutation may have set an array's own `some`.
  if (Array.isArray(value)) return Array.prototype.some.call(value, hasDeep);
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) return Object.values(value).some(hasDeep);
  return false;
}

/** JSON.stringify that writes {@link Deep} markers as real nesting (and binary as `{}`). */
export function jsonText(value: unknown): string {
  if (value instanceof Deep) return '['.repeat(value.depth) + jsonText(value.inner) + ']'.repeat(value.depth);
  if (value instanceof Uint8Array) return '{}';
  // Array.from, not value.map: a mutation may have set an array's own `constructor`.
  if (Array.isArray(value)) return `[${Array.from(value as unknown[], (v) => (v === undefined ? 'null' : jsonText(v))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Any value of a wrong type, size or shape. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, undefined, {}, [], [null], { $bin: 0 }, { __proto__: { a: 1 } }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(50, 1000, 10_000).map((d) => nested(d)) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 50_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
);

type Json = Record<string, unknown> | unknown[];

/** Every path (as key lists) inside a JSON-like value, the root included. */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(prefix);
  if (value instanceof Uint8Array) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function parentOf(root: Json, path: Array<string | number>): Record<string | number, unknown> | undefined {
  let at: unknown = root;
  for (const key of path.slice(0, -1)) at = (at as Record<string | number, unknown>)[key];
  return typeof at === 'object' && at !== null ? (at as Record<string | number, unknown>) : undefined;
}

export type Mutation = 'replace-root' | 'set' | 'drop' | 'extra' | 'wrap-deep';

/**
 * A valid payload made wrong in one place: a field set to a hostile value,
 * dropped, joined by an unknown key, or buried 10k arrays deep.
 */
export function mutated(template: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(template);
  return fc
    .tuple(fc.constantFrom<Mutation>('replace-root', 'set', 'set', 'set', 'drop', 'extra', 'wrap-deep'), fc.nat(paths.length - 1), hostileValue, hostileString)
    .map(([kind, at, value, key]) => {
      const copy = structuredClone(template) as Json;
      const path = paths[at] ?? [];
      if (kind === 'replace-root' || path.length === 0) return kind === 'wrap-deep' ? nested(10_000, copy) : value;
      const parent = parentOf(copy, path);
      const last = path[path.length - 1] as string | number;
      if (parent === undefined) return value;
      if (kind === 'set') parent[last] = value;
      else if (kind === 'drop') delete parent[last];
      else if (kind === 'extra') parent[key === '' ? 'extra' : key] = value;
      else parent[last] = nested(10_000, parent[last]);
      return copy;
    });
}

/** A raw body: text or bytes, or `{ oversized }` (built at send time, so a sample holds no megabytes). */
export type RawBody = string | Uint8Array | { oversized: number };

/** Malformed body text derived from a valid payload. */
export function rawBody(template: unknown, limit: number): fc.Arbitrary<RawBody> {
  const text = JSON.stringify(template);
  return fc.oneof(
    { weight: 4, arbitrary: mutated(template).map(jsonText) },
    // Truncated JSON.
    { weight: 2, arbitrary: fc.nat(Math.max(0, text.length - 1)).map((n) => text.slice(0, n)) },
    // NaN / Infinity as JSON text tokens (Python's json.dumps writes them), in place of a value.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-NaN', 'nan', 'undefined', '0x10'), fc.nat())
        .map(([token, n]) => {
          const spots = [...text.matchAll(/:(?=[-\d"[{tfn])/g)].map((m) => (m.index ?? 0) + 1);
          const at = spots.length === 0 ? 0 : (spots[n % spots.length] as number);
          return `${text.slice(0, at)}${token},"z":${text.slice(at)}`;
        }),
    },
    // Invalid UTF-8 bytes, inside a string and outside one.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]), fc.nat(Math.max(0, text.length)))
        .map(([bad, at]) => {
          const bytes = Buffer.from(text);
          return Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
        }),
    },
    // 10k- and 100k-deep nesting: closed, and left open.
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(10_000, 100_000), fc.boolean(), fc.constantFrom('[', '{"a":')).map(([depth, close, open]) => {
        const inner = open.repeat(depth) + '1';
        return close ? inner + (open === '[' ? ']' : '}').repeat(depth) : inner;
      }),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"x"', '1', '{}', '{"a":1,}', "{'a':1}", '{"__proto__":{"polluted":1}}', '\ufeff{}') },
    // Just over, and far over, the payload limit.
    { weight: 1, arbitrary: fc.constantFrom(limit + 1, limit * 2 + 1024).map((oversized) => ({ oversized })) },
  );
}

/** Bytes of an oversized body: a valid-looking JSON object with one huge string. */
export function materialize(body: RawBody): string | Uint8Array {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  const filler = Buffer.alloc(body.oversized, 0x61);
  return Buffer.concat([Buffer.from('{"text":"'), filler, Buffer.from('"}')]);
}

/** The content types a body may claim, most of them wrong. */
export const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'application/octet-stream',
  'image/png',
);

/** Content encodings, most of which the body does not have. */
export const contentEncoding = fc.constantFrom(undefined, undefined, undefined, 'gzip', 'deflate', 'br', 'bogus', 'identity');

/** A path segment for an id: hostile strings, URL-encoded or as raw as a request line allows. */
export const hostileSegment = fc.oneof(
  // Percent-encode the UTF-8 bytes: encodeURIComponent throws on lone surrogates.
  hostileString.map((s) => [...Buffer.from(s.slice(0, 2000))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  fc.constantFrom('..', '.', '%2e%2e', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%00', '%E0%A4%A', '%', '%zz', '..%5c..%5cx', 'a%2fb', '%252e%252e', ''),
);
