/**
 * Requests exactly as the stock Python `visdom` 0.2.4 client sends them:
 * `POST {server}:{port}{base_url}/{endpoint}` with `data=json.dumps(msg)`, so
 * a JSON text body and no content type (see /work/shared/visdom-protocol.md §1).
 */
import type { Window } from '@cnnvis/protocol';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { encodePng } from '../../src/images/png-encode';

export interface Reply {
  status: number;
  text: string;
}

/** `json.dumps(msg)` with Python's default separators (", " and ": "), as the stock client writes bodies. */
export function pyDumps(msg: unknown): string {
  if (Array.isArray(msg)) return `[${msg.map(pyDumps).join(', ')}]`;
  if (typeof msg === 'object' && msg !== null) {
    return `{${Object.entries(msg).map(([k, v]) => `${JSON.stringify(k)}: ${pyDumps(v)}`).join(', ')}}`;
  }
  return msg === undefined ? 'null' : JSON.stringify(msg);
}

/** POST a body with no content type (a Uint8Array body makes fetch send none). */
export async function postRaw(url: string, text: string): Promise<Reply> {
  const res = await fetch(url, { method: 'POST', body: new TextEncoder().encode(text) });
  expect(res.headers.get('content-type') ?? '').not.toMatch(/json/);
  return { status: res.status, text: await res.text() };
}

/**
 * A fake stock client for a server at `url` (or wherever `url()` says at the
 * time of each call) with Visdom's `base_url` (`''` for `/`).
 */
export function visdom(url: string | (() => string), baseUrl = '') {
  const at = () => (typeof url === 'string' ? url : url());
  return {
    send: (endpoint: string, msg: unknown) => postRaw(`${at()}${baseUrl}/${endpoint}`, pyDumps(msg)),
    /** The native read API. */
    async window(env: string, win: string): Promise<Window> {
      const res = await fetch(`${at()}/api/envs/${encodeURIComponent(env)}/windows/${encodeURIComponent(win)}`);
      expect(res.status).toBe(200);
      return (await res.json()) as Window;
    },
  };
}

/** The layout `_opts2layout` derives (margins 60, title, axes). */
export const layout = (title: string, xlabel?: string) => ({
  showlegend: false,
  title,
  xaxis: xlabel === undefined ? {} : { title: xlabel },
  yaxis: {},
  margin: { l: 60, r: 60, t: 60, b: 60 },
});

/** One trace as `scatter()` builds it for a line. */
export const lineTrace = (name: string, x: number[], y: Array<number | null>) => ({
  x,
  y,
  name,
  type: 'scatter',
  mode: 'lines',
  marker: { size: 10, symbol: 'dot', line: { color: '#000000', width: 0.5 } },
});

/** A real PNG data URI of an h×w RGB image, as `image()` sends it. */
export function pngDataUri(h: number, w: number, seed = 1): string {
  const data = Uint8Array.from({ length: 3 * h * w }, (_, i) => (i * 37 + seed * 11) % 256);
  return `data:image/png;base64,${encodePng(data, w, h, 3).toString('base64')}`;
}

/** A header-only baseline JPEG (SOI, APP0, SOF0 h×w, EOI): enough for the server, which stores bytes as sent. */
export function jpegDataUri(h: number, w: number): string {
  const bytes = [
    0xff, 0xd8,
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xff, 0xd9,
  ];
  return `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;
}

/**
 * A fresh server for each test of the file, and a stock client pointed at it.
 * Call it before the file's own hooks: they then run with the server up.
 * @example
 * const server = useVisdomServer();
 * const { viz } = server;
 */
export function useVisdomServer(): { readonly url: string; readonly viz: ReturnType<typeof visdom> } {
  let server: TestServer | undefined;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const url = () => {
    if (server === undefined) throw new Error('no server outside a test (useVisdomServer starts one per test)');
    return server.url;
  };
  return {
    get url() {
      return url();
    },
    viz: visdom(url),
  };
}
