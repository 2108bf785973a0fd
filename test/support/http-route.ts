/**
 * What the tests of the HTTP analysis routes share: a server for each test
 * (closed after it), a model uploaded to it, multipart bodies, error bodies
 * and server-sent events.
 */
import type { ErrorBody } from '@cnnvis/protocol';
import type { ServerOptions } from 'cnnvis-server';
import { uploadModel } from './analysis';
import { startServer, type TestServer } from './start-server';

/** Register the hook that closes each test's server; call it at the top of a test file. */
export function useRouteServer(model: () => Uint8Array) {
  let current: TestServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const start = async (opts: Partial<ServerOptions> = {}): Promise<TestServer> => (current = await startServer(opts));
  return {
    /** Start this test's server. */
    start,
    /** Start this test's server and upload the file's model to it. */
    async startWithModel(opts: Partial<ServerOptions> = {}): Promise<{ url: string; modelId: string }> {
      const server = await start(opts);
      return { url: server.url, modelId: await uploadModel(server.url, model()) };
    },
    /** This test's server. */
    get server(): TestServer {
      if (current === undefined) throw new Error('no server started in this test');
      return current;
    },
  };
}

/** POST a multipart body to `url`: the `request` JSON part (unless undefined), then each input as an `input` file part. */
export function postParts(url: string, request: unknown, inputs: Uint8Array[], headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  if (request !== undefined) form.append('request', JSON.stringify(request));
  inputs.forEach((b, i) => form.append('input', new Blob([new Uint8Array(b)]), `input-${i}`));
  return fetch(url, { method: 'POST', body: form, headers });
}

/** The error of a 4xx/5xx answer. */
export async function errorOf(res: Response): Promise<ErrorBody> {
  return ((await res.json()) as { error: ErrorBody }).error;
}

/** Server-sent events as [event, data] pairs. */
export async function sseEvents(res: Response): Promise<Array<[string, unknown]>> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return [event, JSON.parse(data) as unknown];
    });
}
