/**
 * What the fuzz test sends: one valid template per route and event, and the
 * fast-check arbitrary of malformed cases built from them, covering the native
 * HTTP API, socket.io events, the Visdom routes and `/vis_socket`.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  contentEncoding,
  contentType,
  hostileSegment,
  hostileValue,
  mutated,
  rawBody,
  type RawBody,
} from './fuzz-arbitraries';

/** The env every batch re-creates, so updates have windows to hit. */
export const FIXTURE_ENV = 'fz';

const PLOT = { kind: 'plot', traces: [{ name: 'a', type: 'scatter', x: [0], y: [0] }] };
/** A plot whose plotly passthrough fields the mutations can reach (they are validated as any JSON). */
const PASSTHROUGH_PLOT = { kind: 'plot', traces: [{ name: 'p', type: 'scatter', x: [0], y: [0], plotly: { marker: { size: 3 } } }], layout: { title: { text: 't' } } };
const CREATE = { win: 'w2', content: PLOT, opts: { title: 't', xlabel: 'x' } };
const TEXT_CREATE = { win: 't2', content: { kind: 'text', text: '<b>hi</b>' } };
const APPEND = { type: 'append', traces: [{ name: 'a', x: [1], y: [2] }] };
const LAYOUT = { items: [{ win: 'w', x: 0, y: 0, w: 4, h: 3 }] };
const MODEL_ID = 'a'.repeat(64);

export type FuzzCase =
  | { kind: 'http'; method: string; path: string; body?: RawBody; contentType?: string; encoding?: string }
  | { kind: 'socket'; event: string; payload: unknown }
  | { kind: 'socket-raw'; packet: string }
  | { kind: 'visdom'; route: string; body: RawBody; contentType?: string }
  | { kind: 'vis-socket'; frame: string | Uint8Array; binary: boolean };

/** The socket events with a valid payload each (ClientToServerEvents, all fourteen). */
export const EVENT_TEMPLATES: Record<string, unknown> = {
  'window:create': { env: FIXTURE_ENV, ...CREATE },
  'window:update': { env: FIXTURE_ENV, win: 'w', op: APPEND, orCreate: { content: PLOT, opts: { title: 't' } } },
  'window:close': { env: FIXTURE_ENV, win: 'gone' },
  'window:get': { env: FIXTURE_ENV, win: 'w' },
  'env:list': {},
  'env:fork': { from: FIXTURE_ENV, to: 'fz-fork' },
  'env:delete': { env: 'fz-nope' },
  'env:subscribe': { env: FIXTURE_ENV },
  'layout:save': { env: FIXTURE_ENV, ...LAYOUT },
  'analysis:run': {
    env: FIXTURE_ENV,
    modelId: MODEL_ID,
    input: { dtype: 'float32', shape: [1, 3], data: new Uint8Array(12) },
    preprocess: { resize: true, mean: [0.5], std: [0.5] },
    layers: ['Conv'],
    maxChannels: 4,
  },
  'model:graph': { env: FIXTURE_ENV, modelId: MODEL_ID, win: 'graph' },
  'model:filters': { env: FIXTURE_ENV, modelId: MODEL_ID, layer: 'conv1', winPrefix: 'f', maxFilters: 4, maxInputs: 2 },
  'run:compare': { env: FIXTURE_ENV, a: 'run_00', b: 3, win: 'fm-graph', topChannels: 2 },
  'ui:event': { env: FIXTURE_ENV, win: 'w', event: { type: 'KeyPress', key: 'a', keyCode: 65 } },
};

const IMAGE_CREATE = {
  env: FIXTURE_ENV,
  win: 'img',
  content: { kind: 'image', images: [{ encoding: 'raw', shape: [3, 2, 2], data: new Uint8Array(12) }] },
};

/** Visdom endpoints with a body as the stock client sends it. */
export const VISDOM_TEMPLATES: Record<string, unknown> = {
  '/events': { eid: FIXTURE_ENV, win: 'v', data: [{ x: [1], y: [2], type: 'scatter', mode: 'lines', name: 'a' }], layout: { title: 'v' }, opts: {} },
  '/update': { eid: FIXTURE_ENV, win: 'v', data: [{ x: [2], y: [3] }], name: 'a', append: true },
  '/close': { eid: FIXTURE_ENV, win: 'gone' },
  '/win_exists': { eid: FIXTURE_ENV, win: 'v' },
  '/win_data': { eid: FIXTURE_ENV, win: 'v' },
  '/env_state': {},
  '/env/': { eid: 'fz-env' },
  '/save': { data: [FIXTURE_ENV] },
  '/fork_env': { prev_eid: FIXTURE_ENV, eid: 'fz-vfork' },
  '/delete_env': { eid: 'fz-nope' },
  '/vis_socket_wrap': { message_type: 'query', sid: 'nope' },
};
const VISDOM_TEXT = { eid: FIXTURE_ENV, win: 'vt', data: [{ type: 'text', content: '<p>x</p>' }] };

/** A segment: usually hostile, sometimes the fixture's id so the route goes deeper. */
const seg = (valid: string) => fc.oneof({ weight: 3, arbitrary: hostileSegment }, { weight: 1, arbitrary: fc.constant(valid) });

function httpCases(limit: number): fc.Arbitrary<FuzzCase> {
  const withBody = (method: string, path: fc.Arbitrary<string>, template: unknown) =>
    fc.record({
      kind: fc.constant('http' as const),
      method: fc.constant(method),
      path,
      body: rawBody(template, limit),
      contentType,
      encoding: contentEncoding,
    });
  const bare = (method: string, path: fc.Arbitrary<string>) => fc.record({ kind: fc.constant('http' as const), method: fc.constant(method), path });
  const env = seg(FIXTURE_ENV);
  const win = seg('w');
  const p = (...parts: Array<fc.Arbitrary<string> | string>) =>
    fc.tuple(...parts.map((x) => (typeof x === 'string' ? fc.constant(x) : x))).map((xs) => xs.join('/'));
  const garbage = fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b));
  return fc.oneof(
    bare('GET', fc.constant('/api/status')),
    bare('GET', fc.constant('/api/envs')),
    bare('GET', p('/api/envs', env)),
    // Never the fixture env: deleting it would leave the rest of the batch only 404s.
    bare('DELETE', p('/api/envs', hostileSegment)),
    withBody('POST', p('/api/envs', env, 'fork'), { to: 'fz-f' }),
    withBody('PUT', p('/api/envs', env, 'layout'), LAYOUT),
    bare('GET', p('/api/envs', env, 'windows')),
    withBody('POST', p('/api/envs', env, 'windows'), CREATE),
    withBody('POST', p('/api/envs', env, 'windows'), TEXT_CREATE),
    withBody('POST', p('/api/envs', env, 'windows'), { win: 'pt', content: PASSTHROUGH_PLOT }),
    bare('GET', p('/api/envs', env, 'windows', win)),
    withBody('PATCH', p('/api/envs', env, 'windows', win), APPEND),
    bare('DELETE', p('/api/envs', env, 'windows', hostileSegment)),
    bare('GET', p('/api/envs', env, 'windows', win, 'images', fc.oneof(hostileSegment, fc.constantFrom('0', '-1', '1e3', '9007199254740993', 'NaN')))),
    bare('HEAD', p('/api/models', seg(MODEL_ID))),
    bare('GET', p('/api/models', seg(MODEL_ID), 'graph')),
    withBody('POST', p('/api/models', seg(MODEL_ID), 'filters'), { env: FIXTURE_ENV, layer: 'conv1', maxFilters: 4 }),
    // An upload whose id is the SHA-256 of its garbage bytes reaches the ONNX parser.
    garbage.map((bytes): FuzzCase => ({ kind: 'http', method: 'PUT', path: `/api/models/${createHash('sha256').update(bytes).digest('hex')}`, body: bytes, contentType: 'application/octet-stream' })),
    fc.record({ kind: fc.constant('http' as const), method: fc.constant('PUT'), path: p('/api/models', hostileSegment), body: garbage }),
    bare('GET', p('/api/runs', hostileSegment, fc.constantFrom('maps', 'filters'), hostileSegment)),
    bare('GET', p('/api/runs', hostileSegment, fc.constantFrom('maps', 'filters'), hostileSegment, 'data')),
    // Wrong methods, unknown API routes and traversal in the static UI.
    fc.record({
      kind: fc.constant('http' as const),
      method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      path: fc.constantFrom('/api/envs', '/api/status', '/api/nope', '/api/', '/api/envs/fz/windows/w/images/0'),
      body: rawBody({}, limit),
    }),
    bare('GET', fc.constantFrom('/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/x', '/%00', '/index.html%00.js', '/assets/%E0%A4%A')),
  ) as fc.Arbitrary<FuzzCase>;
}

function eventCases(): fc.Arbitrary<FuzzCase> {
  const kind = 'socket';
  const templates = { ...EVENT_TEMPLATES };
  const perEvent = Object.entries(templates).map(([event, template]) =>
    fc.oneof({ weight: 4, arbitrary: mutated(template) }, { weight: 1, arbitrary: hostileValue }).map((payload) => ({ kind, event, payload })),
  );
  const image = mutated(IMAGE_CREATE).map((payload) => ({ kind, event: 'window:create', payload }));
  const passthrough = mutated({ env: FIXTURE_ENV, win: 'pt', content: PASSTHROUGH_PLOT }).map((payload) => ({ kind, event: 'window:create', payload }));
  const unknown = fc.tuple(fc.constantFrom('no:such', 'constructor', '__proto__', 'toString', '', 'window:create '), hostileValue).map(([event, payload]) => ({ kind, event, payload }));
  return fc.oneof(...perEvent, image, passthrough, unknown) as fc.Arbitrary<FuzzCase>;
}

/** socket.io packets as text: `2<ackId>` + JSON, broken in the ways the parser must survive. */
const socketRawCases: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(
    '2["window:get",{"env":"fz","win":"w"',
    '2["window:get",NaN]',
    '2[',
    '2{}',
    '2"x"',
    '2[1,2,3]',
    `2["env:list",${'['.repeat(100_000)}]`,
    '2["window:update",{"env":"fz","win":"w","op":{"type":"append","traces":[{"name":"a","x":[Infinity],"y":[1]}]}}]',
    '9',
    '2/other-ns,["env:list",{}]',
    '5-["x",{"_placeholder":true,"num":0}]',
    '\uD800',
  )
  .map((packet) => ({ kind: 'socket-raw', packet }));

function visdomCases(limit: number): fc.Arbitrary<FuzzCase> {
  const routes = Object.entries(VISDOM_TEMPLATES).map(([route, template]) =>
    fc
      .tuple(rawBody(template, limit), contentType, route === '/env/' ? hostileSegment : fc.constant(''))
      .map(([body, type, param]) => ({ kind: 'visdom' as const, route: route + param, body, contentType: type })),
  );
  const text = rawBody(VISDOM_TEXT, limit).map((body) => ({ kind: 'visdom' as const, route: '/events', body }));
  return fc.oneof(...routes, text) as fc.Arbitrary<FuzzCase>;
}

const visSocketCases: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), fc.constantFrom('{"cmd":"echo"', '{"cmd":1}', '[]', 'null', '{"cmd":"echo","x":NaN}', '['.repeat(50_000))).map((frame): FuzzCase => ({ kind: 'vis-socket', frame, binary: false })),
  fc.uint8Array({ maxLength: 200 }).map((frame): FuzzCase => ({ kind: 'vis-socket', frame, binary: true })),
);

/**
 * Every kind of malformed case, weighted so each transport gets thousands.
 * @example fc.sample(fuzzCases(1 << 20), { seed: 1, numRuns: 1000 })
 */
export function fuzzCases(limit: number): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 30, arbitrary: httpCases(limit) },
    { weight: 43, arbitrary: eventCases() },
    { weight: 2, arbitrary: socketRawCases },
    { weight: 22, arbitrary: visdomCases(limit) },
    { weight: 3, arbitrary: visSocketCases },
  );
}

/** Valid writes that (re)create the fixture windows; they must succeed after every batch. */
export const FIXTURE_REQUESTS = {
  plot: { win: 'w', content: PLOT },
  text: { win: 't', content: { kind: 'text', text: 'fixture' } },
  visdom: VISDOM_TEMPLATES['/events'],
};
