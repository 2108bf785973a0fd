/** The run-data client (feature maps fetched per tensor, cached) and image sniffing, with fetch mocked. */
import { createRunData } from '../src/client/run-data';
import { ClientRequestError } from '../src/client/types';
import { sniffImage } from '../src/upload/drop-zone';

type Reply = { status: number; json?: unknown; bytes?: Uint8Array };

function mockFetch(routes: Record<string, Reply>): { calls: string[]; restore(): void } {
  const calls: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push(url);
    const r = routes[url] ?? { status: 404, json: { error: { code: 'NOT_FOUND', message: `no route ${url}` } } };
    return new Response((r.bytes as Uint8Array<ArrayBuffer> | undefined) ?? JSON.stringify(r.json ?? null), { status: r.status });
  }) as typeof fetch;
  return { calls, restore: () => void (globalThis.fetch = original) };
}


test('a map is fetched once per tensor (header, then bytes), with the name URL-encoded', async () => {
  const head = '/cnnvis/api/runs/run_1/maps/%2Fconv1%2FConv_output_0';
  const meta = { tensor: '/conv1/Conv_output_0', shape: [2, 1, 2], channelMin: [0, 1], channelMax: [1, 2], url: '/api/runs/run_1/maps/%2Fconv1%2FConv_output_0/data' };
  const net = mockFetch({
    [head]: { status: 200, json: meta },
    ['/cnnvis' + meta.url]: { status: 200, bytes: new Uint8Array([0, 255, 128, 7]) },
  });
  try {
    const data = createRunData((p) => `/cnnvis${p}`);
    const a = await data.map('run_1', '/conv1/Conv_output_0');
    expect(a.meta).toEqual(meta);
    expect([...a.bytes]).toEqual([0, 255, 128, 7]);
    const b = await data.map('run_1', '/conv1/Conv_output_0');
    expect(b).toBe(a);
    expect(net.calls).toEqual([head, '/cnnvis' + meta.url]);
  } finally {
    net.restore();
  }
});

test('a missing tensor rejects with the server code and message, and is not cached', async () => {
  const net = mockFetch({});
  try {
    const data = createRunData((p) => p);
    const err = await data.filters('run_1', 'relu:0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientRequestError);
    expect((err as ClientRequestError).code).toBe('NOT_FOUND');
    expect((err as Error).message).toBe('no route /api/runs/run_1/filters/relu%3A0');
    await data.filters('run_1', 'relu:0').catch(() => undefined);
    expect(net.calls).toHaveLength(2); // asked again: the run may have been storing
  } finally {
    net.restore();
  }
});

test('dropped images are told apart by their bytes, not their names', async () => {
  expect(await sniffImage(new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])]))).toBe('png');
  expect(await sniffImage(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])]))).toBe('jpeg');
  expect(await sniffImage(new Blob(['GIF89a']))).toBeNull();
  expect(await sniffImage(new Blob([]))).toBeNull();
});
