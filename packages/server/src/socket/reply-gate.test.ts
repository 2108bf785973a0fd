import { createReplyGate, type ReplyGateOptions } from './reply-gate';

/** A fake transport: `queued` bytes the client has not read, and a log of what the gate did. */
function fakeClient(opts: Partial<ReplyGateOptions> = {}) {
  const state = { queued: 0, reading: true, log: [] as string[] };
  const gate = createReplyGate({
    maxBytes: 100,
    backlog: () => state.queued,
    pause: () => {
      state.reading = false;
      return true;
    },
    resume: () => {
      state.reading = true;
    },
    ...opts,
  });
  /** An answer whose reply takes `bytes`, sent as a transport does: queue it, then tell the gate. */
  const answer = (name: string, bytes: number) => () => {
    state.log.push(name);
    state.queued += bytes;
    gate.check();
  };
  /** The client reads `bytes` of its replies. */
  const read = (bytes: number) => {
    state.queued = Math.max(0, state.queued - bytes);
    gate.check();
  };
  return { state, gate, answer, read };
}

test('within the bound, requests are answered at once and reading goes on', () => {
  const { state, gate, answer } = fakeClient();
  gate.submit(answer('a', 10));
  gate.submit(answer('b', 10));
  expect(state.log).toEqual(['a', 'b']);
  expect(state.reading).toBe(true);
  expect(gate.held).toBe(0);
});

test('past the bound, reading stops and requests wait; they are answered in order as the client reads', () => {
  const { state, gate, answer, read } = fakeClient();
  gate.submit(answer('big1', 150));
  expect(state.reading).toBe(false);
  // Frames already parsed still arrive: each waits rather than adding a reply.
  gate.submit(answer('big2', 150));
  gate.submit(answer('small', 1));
  expect(state.log).toEqual(['big1']);
  expect(gate.held).toBe(2);
  read(40); // 110 left: still over
  expect(state.log).toEqual(['big1']);
  read(20); // 90: one more reply, which puts it over again
  expect(state.log).toEqual(['big1', 'big2']);
  expect(state.reading).toBe(false);
  read(1000);
  expect(state.log).toEqual(['big1', 'big2', 'small']);
  expect(state.reading).toBe(true);
  expect(gate.held).toBe(0);
});

test('an async reply that lands past the bound stops reading until it drains', () => {
  const { state, gate, read } = fakeClient();
  state.queued = 500; // an analysis result sent later
  gate.check();
  expect(state.reading).toBe(false);
  read(450);
  expect(state.reading).toBe(true);
});

test('a client that leaves has what it held dropped, and nothing later is answered', () => {
  const { state, gate, answer, read } = fakeClient();
  gate.submit(answer('big', 150));
  gate.submit(answer('held', 150));
  gate.close();
  expect(gate.held).toBe(0);
  read(1000);
  gate.submit(answer('late', 1));
  expect(state.log).toEqual(['big']);
});

test('where the transport cannot stop reading, more than maxHeld waiting requests give the client up', () => {
  const overflow = jest.fn();
  const { state, gate, answer } = fakeClient({ pause: () => false, maxHeld: 2, overflow });
  gate.submit(answer('big', 150));
  gate.submit(answer('h1', 1));
  gate.submit(answer('h2', 1));
  expect(overflow).not.toHaveBeenCalled();
  gate.submit(answer('h3', 1));
  expect(overflow).toHaveBeenCalledTimes(1);
  expect(gate.held).toBe(0);
  expect(state.log).toEqual(['big']);
});

test('a transport that can pause is never given up, however many requests wait', () => {
  const overflow = jest.fn();
  const { gate, answer } = fakeClient({ maxHeld: 2, overflow });
  for (let i = 0; i < 10; i++) gate.submit(answer(`r${i}`, 150));
  expect(overflow).not.toHaveBeenCalled();
  expect(gate.held).toBe(9);
});

test('a client found closing has what it held dropped, even if its backlog fell to nothing', () => {
  let open = true;
  const { state, gate, answer, read } = fakeClient({ isOpen: () => open });
  gate.submit(answer('big', 150));
  gate.submit(answer('held', 150));
  open = false; // a destroyed socket: its write buffer is gone, and it still hands over frames it had read
  read(1000);
  gate.submit(answer('late', 1));
  expect(state.log).toEqual(['big']);
  expect(gate.held).toBe(0);
});

test('answers that are promises count until they settle: past maxPending, requests wait in order', async () => {
  const { state, gate } = fakeClient({ maxPending: 2 });
  const settle: Array<() => void> = [];
  const slow = (name: string) => () => {
    state.log.push(name);
    return new Promise<void>((resolve) => settle.push(resolve));
  };
  for (const name of ['a', 'b', 'c', 'd']) gate.submit(slow(name));
  expect(state.log).toEqual(['a', 'b']);
  expect(state.reading).toBe(false);
  expect(gate.held).toBe(2);
  settle.shift()?.();
  await Promise.resolve();
  await Promise.resolve();
  expect(state.log).toEqual(['a', 'b', 'c']);
  settle.splice(0).forEach((s) => s());
  await new Promise((r) => setImmediate(r));
  settle.splice(0).forEach((s) => s());
  await new Promise((r) => setImmediate(r));
  expect(state.log).toEqual(['a', 'b', 'c', 'd']);
  expect(gate.held).toBe(0);
  expect(state.reading).toBe(true);
});
