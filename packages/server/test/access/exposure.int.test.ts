/**
 * Refusing an open server on the network, cross-site requests and DNS
 * rebinding; and the command line's checks of the access flags.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'cnnvis-server';
import { runCli } from '../../../../test/support/spawn-server';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { pyDumps } from '../visdom/visdom-client';
import { rawRequest, tryWebSocket } from './raw-http';

test('binding beyond loopback without a token is refused, saying why', async () => {
  await expect(createServer({ host: '0.0.0.0', port: 0, dataDir: ':memory:', logLevel: 'silent' })).rejects.toThrow(
    /refusing to listen on 0\.0\.0\.0 without a token.*--token.*--insecure/,
  );
  const insecure = await createServer({ host: '0.0.0.0', port: 0, dataDir: ':memory:', logLevel: 'silent', insecure: true });
  await insecure.close();
  const withToken = await createServer({ host: '0.0.0.0', port: 0, dataDir: ':memory:', logLevel: 'silent', token: 'x'.repeat(20) });
  await withToken.close();
});

test('the command line checks the access flags', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnnvis-flags-'));
  const open = await runCli(['--host', '0.0.0.0', '--port', '0', '--data-dir', dir]);
  expect(open.code).toBe(1);
  expect(open.stderr).toMatch(/without a token/);
  const short = await runCli(['--token', 'short', '--data-dir', dir]);
  expect(short.code).toBe(2);
  expect(short.stderr).toMatch(/--token must be at least 16 characters/);
  const env = await runCli(['--data-dir', dir], { CNNVIS_READONLY: 'maybe' });
  expect(env.code).toBe(2);
  expect(env.stderr).toMatch(/CNNVIS_READONLY must be 1 or 0/);
  const help = await runCli(['--help']);
  expect(help.stdout).toMatch(/--token[\s\S]*CNNVIS_TOKEN[\s\S]*--insecure[\s\S]*--readonly/);
  rmSync(dir, { recursive: true, force: true });
});

describe('without a token, on loopback', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  test('a page on another site cannot write or open a socket (CSRF, WebSocket hijacking)', async () => {
    const origin = { origin: 'http://evil.example' };
    const post = await rawRequest(`${server.url}/events`, {
      method: 'POST',
      headers: origin,
      body: pyDumps({ eid: 'main', win: 'x', data: [{ content: 'pwned', type: 'text' }] }),
    });
    expect(post.status).toBe(403);
    expect(post.text).toMatch(/cross-site request from http:\/\/evil\.example refused/);
    for (const path of ['/vis_socket', '/socket.io/?EIO=4&transport=websocket']) {
      expect((await tryWebSocket(`${server.url.replace('http', 'ws')}${path}`, origin)).opened).toBe(false);
    }
    expect((await rawRequest(`${server.url}/api/envs/main/windows/x`)).status).toBe(404);
  });

  test('the UI itself (same origin) and scripts (no origin) still get in', async () => {
    const host = new URL(server.url).host;
    const same = await rawRequest(`${server.url}/env/main`, { method: 'POST', headers: { origin: `http://${host}` }, body: pyDumps({ eid: 'main' }) });
    expect(same.status).toBe(200);
    expect((await tryWebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { origin: `http://${host}` })).opened).toBe(true);
  });

  test('a DNS-rebinding page (a foreign Host) is refused', async () => {
    const res = await rawRequest(`${server.url}/api/envs`, { headers: { host: 'evil.example:8097' } });
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/answers only to localhost/);
    for (const host of ['localhost:8097', '127.0.0.1', '[::1]:8097', '0.0.0.0:8097']) {
      expect((await rawRequest(`${server.url}/api/envs`, { headers: { host } })).status).toBe(200);
    }
  });
});
