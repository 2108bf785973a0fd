/**
 * The crash tests' writer: writes sent by index, at most `inFlight`
 * unanswered at once, until a kill (or the end) stops it; a write that was
 * not acknowledged may or may not have been stored, and is only not counted.
 */

export interface PipelineOptions {
  /** The first index to send, and the one after the last. */
  from: number;
  end: number;
  inFlight: number;
  send(i: number): Promise<unknown>;
  /** Write `i` was acknowledged. */
  onAck(i: number): void;
  /** Checked before each send: true once the server was killed. */
  stopped(): boolean;
}

/**
 * Sends until `end` or `stopped()`, then waits for every write sent to settle; resolves with the next index to send.
 * @example
 * sent = await pipelineWrites({ from: sent, end: TOTAL, inFlight: 100, send: (i) => send(viz, writeOf(i)), onAck: (i) => acked.push(writeOf(i)), stopped: () => killed });
 */
export async function pipelineWrites(o: PipelineOptions): Promise<number> {
  const inflight = new Set<Promise<void>>();
  let next = o.from;
  while (!o.stopped() && next < o.end) {
    if (inflight.size >= o.inFlight) await Promise.race(inflight);
    if (o.stopped()) break;
    const i = next++;
    const p: Promise<void> = o.send(i).then(
      () => o.onAck(i),
      () => undefined,
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }
  await Promise.allSettled([...inflight]);
  return next;
}
