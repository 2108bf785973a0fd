/**
 * Sending a planned write, with Visdom's "append creates the window" rule:
 * an update that fails with NOT_FOUND is replaced by the planned create, once
 * per window even when many appends are in flight.
 * @module
 */
import type { WindowAck } from '@cnnvis/protocol';
import { isCnnvisClientError } from './client-error';
import type { Connection } from './connection';
import type { WritePlan } from './request-common';

type UpdatePlan = Extract<WritePlan, { update: unknown }>;

/**
 * Sends {@link WritePlan}s over a connection.
 * @example
 * const writer = new WindowWriter(conn, 'main');
 * await writer.send(planText('hi', { win: 'log', append: true }, 'main'));
 */
export class WindowWriter {
  /** Creates in flight after a NOT_FOUND update, by `env\0win`, so parallel appends create once. */
  private readonly creating = new Map<string, Promise<WindowAck>>();

  constructor(
    private readonly conn: Connection,
    private readonly defaultEnv: string,
  ) {}

  /**
   * Send the plan: a create, or an update (one round trip) that falls back to
   * its create when the window does not exist.
   * @example
   * const ack = await writer.send({ create: { env: 'main', win: 'log', content: { kind: 'text', text: 'hi' } } });
   */
  send(plan: WritePlan): Promise<WindowAck> {
    if ('create' in plan) return this.conn.request('window:create', plan.create);
    return this.conn.request('window:update', plan.update).catch((err: unknown) => this.recover(err, plan));
  }

  private async recover(err: unknown, plan: UpdatePlan): Promise<WindowAck> {
    if (plan.orCreate === undefined || !isCnnvisClientError(err) || err.code !== 'NOT_FOUND') throw err;
    const { env = this.defaultEnv, win } = plan.update;
    const key = `${env}\u0000${win}`;
    const inFlight = this.creating.get(key);
    if (inFlight !== undefined) {
      // Another call is creating this window right now: apply this change on top of it.
      await inFlight.catch(() => undefined);
      return this.conn.request('window:update', plan.update);
    }
    const orCreate = plan.orCreate;
    const task = (async () => {
      // An index selector may be what was not found; never replace a window that exists.
      if (plan.ifWindowMissing === true && (await this.windowExists(env, win))) throw err;
      return this.conn.request('window:create', orCreate);
    })();
    this.creating.set(key, task);
    try {
      return await task;
    } finally {
      this.creating.delete(key);
    }
  }

  private async windowExists(env: string, win: string): Promise<boolean> {
    try {
      await this.conn.request('window:get', { env, win });
      return true;
    } catch (err) {
      if (isCnnvisClientError(err) && err.code === 'NOT_FOUND') return false;
      throw err;
    }
  }
}
