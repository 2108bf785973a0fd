/**
 * What `/update` remembers about windows it has seen, so a line append costs
 * one native op instead of a whole-window read (O(points)): the trace count
 * (to reject a wrong-sized append without a read) and the Visdom opts last
 * applied (the stock client resends every opt with every append). These are
 * hints, never the truth: a native op that disagrees (a trace index missing)
 * sends the request down the reading path, which refreshes them.
 * @module
 */
import type { Window } from '@cnnvis/protocol';

export interface WindowHint {
  /** Plot windows only: how many traces the window had when last seen. */
  traces?: number;
  /** JSON of the cnnvis opts last applied from Visdom opts. */
  opts?: string;
}

/** Bounded: the oldest hints go first; a missing hint only means one read. */
export const MAX_HINTS = 10_000;

export class UpdateHints {
  private readonly hints = new Map<string, WindowHint>();

  private key(env: string, win: string): string {
    return `${env}\u0000${win}`;
  }

  get(env: string, win: string): WindowHint | undefined {
    return this.hints.get(this.key(env, win));
  }

  set(env: string, win: string, hint: WindowHint): void {
    const key = this.key(env, win);
    this.hints.delete(key);
    this.hints.set(key, hint);
    if (this.hints.size > MAX_HINTS) this.hints.delete(this.hints.keys().next().value as string);
  }

  /** Remember a window just read or written whole. */
  seen(win: Window): void {
    this.set(win.env, win.id, {
      ...(win.content.kind === 'plot' ? { traces: win.content.traces.length } : {}),
      opts: JSON.stringify(win.opts),
    });
  }

  forget(env: string, win: string): void {
    this.hints.delete(this.key(env, win));
  }

  /** Drop every hint of an env (its windows were replaced or deleted wholesale). */
  forgetEnv(env: string): void {
    const prefix = `${env}\u0000`;
    for (const key of this.hints.keys()) if (key.startsWith(prefix)) this.hints.delete(key);
  }
}
