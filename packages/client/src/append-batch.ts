/**
 * Plain appends to one window made in the same tick travel as one `window:update` (one message,
 * commit and broadcast for the lot); every caller gets the batch's answer.
 * @module
 */
import type { WindowUpdateRequest } from '@cnnvis/protocol';

/** Points of one trace a batch carries at most; the next append starts a new batch. */
const MAX_BATCH_POINTS = 100_000;

/** A plain append request. */
type Append = Omit<WindowUpdateRequest, 'op'> & { op: Extract<WindowUpdateRequest['op'], { type: 'append' }> };

interface Batch {
  payload: Append;
  points: number;
  waiters: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
}

/** What identifies appends that can share a message: window, traces, and what a create would make. */
function shapeOf(p: Append): string | undefined {
  const traces = p.op.traces;
  if (traces.some((t) => t.color !== undefined)) return undefined;
  const seed = p.orCreate;
  if (seed !== undefined && (seed.content.kind !== 'plot' || seed.content.traces.length !== traces.length)) return undefined;
  const seedTraces = seed?.content.kind === 'plot' ? seed.content.traces.map(({ x: _x, y: _y, ...rest }) => rest) : null;
  return JSON.stringify([p.env, p.win, traces.map((t) => [t.name, t.index]), seed?.opts, seedTraces]);
}

/** A copy whose point arrays the batch may grow (the caller's arrays, shared between traces, stay as they were). */
function ownCopy(p: Append): Append {
  const op = { type: 'append' as const, traces: p.op.traces.map((t) => ({ ...t, x: [...t.x], y: [...t.y] })) };
  const seed = p.orCreate;
  if (seed === undefined || seed.content.kind !== 'plot') return { ...p, op };
  const content = { ...seed.content, traces: seed.content.traces.map((t) => ({ ...t, x: [...(t.x ?? [])], y: [...(t.y ?? [])] })) };
  return { ...p, op, orCreate: { ...seed, content } };
}

/** `p`'s points added to `into`'s traces (and to the window it would create), trace by trace. */
function grow(into: Append, p: Append): void {
  const seed = into.orCreate?.content.kind === 'plot' ? into.orCreate.content.traces : undefined;
  p.op.traces.forEach((t, i) => {
    const target = into.op.traces[i];
    const seeded = seed?.[i];
    // Pushed in a loop, not spread: a long series would overflow the stack.
    for (const v of t.x) {
      target?.x.push(v);
      seeded?.x?.push(v as never);
    }
    for (const v of t.y) {
      target?.y.push(v);
      seeded?.y?.push(v as never);
    }
  });
}

/**
 * Batches of appends per window, sent at the end of the tick or before any other request.
 * @example
 * const batches = new AppendBatches((p) => socket.emitWithAck('window:update', p));
 * const ack = batches.add(payload) ?? sendDirectly(payload);
 */
export class AppendBatches {
  private readonly open = new Map<string, Batch>();
  private scheduled = false;

  constructor(private readonly send: (payload: WindowUpdateRequest) => Promise<unknown>) {}

  /** The answer to `payload` once its batch is sent, or undefined when it cannot be batched. */
  add(payload: WindowUpdateRequest): Promise<unknown> | undefined {
    if (payload.op.type !== 'append') return undefined;
    const append = payload as Append;
    const key = shapeOf(append);
    if (key === undefined) return undefined;
    const points = Math.max(...append.op.traces.map((t) => t.x.length));
    let batch = this.open.get(key);
    if (batch !== undefined && batch.points + points > MAX_BATCH_POINTS) {
      this.sendBatch(key, batch);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = { payload: ownCopy(append), points, waiters: [] };
      this.open.set(key, batch);
    } else {
      grow(batch.payload, append);
      batch.points += points;
    }
    const target = batch;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
    return new Promise((resolve, reject) => target.waiters.push({ resolve, reject }));
  }

  /** Send every open batch now. */
  flush(): void {
    this.scheduled = false;
    for (const [key, batch] of this.open) this.sendBatch(key, batch);
  }

  private sendBatch(key: string, batch: Batch): void {
    this.open.delete(key);
    this.send(batch.payload).then(
      (v) => batch.waiters.forEach((w) => w.resolve(v)),
      (e: unknown) => batch.waiters.forEach((w) => w.reject(e)),
    );
  }
}
