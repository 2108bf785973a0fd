/**
 * The Python client's back-channel: `/vis_socket` (a plain WebSocket, as the
 * stock client's websocket-client opens it) and the `/vis_socket_wrap`
 * polling fallback. UI actions come from a socket.io client, as the browser sends them.
 */
import WebSocket from 'ws';
import { call, callOk, connectSocket, type TestSocket } from '../../../../test/support/socket-client';
import { useVisdomServer } from './visdom-client';

const server = useVisdomServer();
const { viz } = server;
let browser: TestSocket;
const open: WebSocket[] = [];

beforeEach(async () => {
  browser = await connectSocket(server.url);
});
afterEach(async () => {
  for (const ws of open.splice(0)) ws.close();
  browser.close();
});

/** Connect like the stock client and collect every message, parsed. */
async function pythonClient(path = '/vis_socket') {
  const ws = new WebSocket(server.url.replace('http', 'ws') + path);
  open.push(ws);
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  /** Resolve with the n-th message (0-based) once it arrived. */
  const nth = async (n: number) => {
    while (messages.length <= n) await new Promise<void>((r) => waiters.push(r));
    return messages[n] as Record<string, unknown>;
  };
  return { ws, messages, nth };
}

const properties = [
  { type: 'text', name: 'Name', value: 'a' },
  { type: 'number', name: 'LR', value: '0.1' },
];

test('alive on connect; a UI close and a PropertyUpdate reach the Python client with pane_data', async () => {
  const py = await pythonClient();
  expect(await py.nth(0)).toEqual({ command: 'alive', data: 'vis_alive' });

  await viz.send('events', { data: [{ content: 'bye', type: 'text' }], win: 'note', eid: 'e1', opts: { title: 'Note' } });
  await callOk(browser, 'window:close', { env: 'e1', win: 'note' });
  expect(await py.nth(1)).toEqual({
    event_type: 'close',
    target: 'note',
    eid: 'e1',
    pane_data: expect.objectContaining({ id: 'note', type: 'text', content: 'bye', title: 'Note' }),
  });

  await viz.send('events', { data: [{ content: properties, type: 'properties' }], win: 'props', eid: 'e1', opts: {} });
  const ack = await callOk<{ delivered: number }>(browser, 'ui:event', { env: 'e1', win: 'props', event: { type: 'PropertyUpdate', propertyId: 1, value: '0.01' } });
  expect(ack).toEqual({ delivered: 1 });
  expect(await py.nth(2)).toEqual({
    event_type: 'PropertyUpdate',
    target: 'props',
    eid: 'e1',
    propertyId: 1,
    value: '0.01',
    pane_data: expect.objectContaining({ id: 'props', type: 'properties', content: properties }),
  });

  await viz.send('events', { data: [{ content: 'type here', type: 'text' }], win: 'txt', eid: 'e1', opts: {} });
  await callOk(browser, 'ui:event', { env: 'e1', win: 'txt', event: { type: 'KeyPress', key: 'a', keyCode: 65 } });
  expect(await py.nth(3)).toMatchObject({ event_type: 'KeyPress', target: 'txt', key: 'a', key_code: 65, pane_data: { content: 'type here' } });
  await callOk(browser, 'ui:event', { env: 'e1', win: 'txt', event: { type: 'Click', imageCoord: { x: 3, y: 4 } } });
  expect(await py.nth(4)).toMatchObject({ event_type: 'Click', target: 'txt', image_coord: { x: 3, y: 4 } });

  // A Python /close is the script's own doing: no event back (as in Visdom).
  await viz.send('close', { win: 'txt', eid: 'e1' });
  const bad = await call(browser, 'ui:event', { env: 'e1', win: 'gone', event: { type: 'KeyPress', key: 'a', keyCode: 65 } });
  expect(bad).toMatchObject({ error: { code: 'NOT_FOUND' } });
  expect(py.messages).toHaveLength(5);
});

test('every connected client gets each event; echo goes to all', async () => {
  const a = await pythonClient();
  const b = await pythonClient();
  await a.nth(0);
  await b.nth(0);
  await viz.send('events', { data: [{ content: properties, type: 'properties' }], win: 'props', eid: 'e1', opts: {} });
  expect(await callOk(browser, 'ui:event', { env: 'e1', win: 'props', event: { type: 'PropertyUpdate', propertyId: 0, value: 'b' } })).toEqual({ delivered: 2 });
  expect((await a.nth(1))['value']).toBe('b');
  expect((await b.nth(1))['value']).toBe('b');
  a.ws.send(JSON.stringify({ cmd: 'echo', data: 'ping' }));
  expect(await b.nth(2)).toEqual({ cmd: 'echo', data: 'ping' });
});

test('/vis_socket_wrap: init → sid, query → queued messages, send, dead sid', async () => {
  const init = await viz.send('vis_socket_wrap', { message_type: 'init' });
  const { success, sid } = JSON.parse(init.text) as { success: boolean; sid: string };
  expect(success).toBe(true);
  const query = async () => JSON.parse((await viz.send('vis_socket_wrap', { message_type: 'query', sid })).text) as { success: boolean; messages: string[] };
  expect(await query()).toEqual({ success: true, messages: [JSON.stringify({ command: 'alive', data: 'vis_alive' })] });
  expect(await query()).toEqual({ success: true, messages: [] });

  await viz.send('events', { data: [{ content: properties, type: 'properties' }], win: 'props', eid: 'e1', opts: {} });
  await callOk(browser, 'ui:event', { env: 'e1', win: 'props', event: { type: 'PropertyUpdate', propertyId: 0, value: 'x' } });
  await callOk(browser, 'window:close', { env: 'e1', win: 'props' });
  const { messages } = await query();
  expect(messages.map((m) => (JSON.parse(m) as { event_type: string }).event_type)).toEqual(['PropertyUpdate', 'close']);

  expect(JSON.parse((await viz.send('vis_socket_wrap', { message_type: 'send', sid, message: JSON.stringify({ cmd: 'echo', data: 1 }) })).text)).toEqual({ success: true });
  expect((await query()).messages).toEqual([JSON.stringify({ cmd: 'echo', data: 1 })]);

  expect(JSON.parse((await viz.send('vis_socket_wrap', { message_type: 'query', sid: 'dead' })).text)).toEqual({ success: false, reason: 'closed' });
  expect((await viz.send('vis_socket_wrap', { message_type: 'nonsense' })).status).toBe(400);
});
