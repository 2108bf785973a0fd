import type { WindowUpdateRequest } from '@cnnvis/protocol';
import { AppendBatches } from './append-batch';

const append = (win: string, x: number[], extra: object = {}): WindowUpdateRequest => ({
  env: 'e',
  win,
  op: { type: 'append', traces: [{ name: 't', x, y: x, ...extra }] },
});

function batches(): { sent: WindowUpdateRequest[]; b: AppendBatches } {
  const sent: WindowUpdateRequest[] = [];
  const b = new AppendBatches(async (p) => {
    sent.push(p);
    return { rev: sent.length };
  });
  return { sent, b };
}

test('appends of one tick to one trace share a message; the callers’ arrays are left alone', async () => {
  const { sent, b } = batches();
  const xs = [1];
  const acks = await Promise.all([b.add(append('w', xs)), b.add(append('w', [2, 3])), b.add(append('v', [9]))]);
  expect(sent.map((p) => p.win)).toEqual(['w', 'v']);
  expect(sent[0]?.op).toEqual({ type: 'append', traces: [{ name: 't', x: [1, 2, 3], y: [1, 2, 3] }] });
  expect(acks).toEqual([{ rev: 1 }, { rev: 1 }, { rev: 2 }]);
  expect(xs).toEqual([1]);
});

test('coloured points, other ops and other traces are not merged; a full batch starts another', async () => {
  const { sent, b } = batches();
  expect(b.add(append('w', [1], { color: ['red'] }))).toBeUndefined();
  expect(b.add({ env: 'e', win: 'w', op: { type: 'replace', traces: [{ name: 't', x: [1], y: [1] }] } })).toBeUndefined();
  const big = Array.from({ length: 60_000 }, (_, i) => i);
  await Promise.all([b.add(append('w', big)), b.add(append('w', big)), b.add({ env: 'e', win: 'w', op: { type: 'append', traces: [{ name: 'u', x: [1], y: [1] }] } })]);
  expect(sent.map((p) => (p.op.type === 'append' ? p.op.traces.map((t) => `${t.name}:${t.x.length}`).join() : ''))).toEqual(['t:60000', 't:60000', 'u:1']);
});

test('a refused batch fails every call in it', async () => {
  const b = new AppendBatches(() => Promise.reject(new Error('no')));
  const r = await Promise.allSettled([b.add(append('w', [1])), b.add(append('w', [2]))]);
  expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
});
