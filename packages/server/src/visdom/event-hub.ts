/**
 * The Python clients listening for UI events (`/vis_socket` sockets and `/vis_socket_wrap`
 * pollers), and the UI actions forwarded to them as Visdom event objects with `pane_data`.
 * @module
 */
import { UiEventRequestSchema, type Window } from '@cnnvis/protocol';
import { validate, type WindowService } from '../window-service';
import { toVisdomPane } from './visdom-pane';

/** Something that takes a JSON text message: a WebSocket or a polling queue. */
export type VisClient = (message: string) => void;

export const ALIVE_MESSAGE = JSON.stringify({ command: 'alive', data: 'vis_alive' });

export class VisEventHub {
  private readonly clients = new Set<VisClient>();

  constructor(private readonly service: WindowService) {}

  add(client: VisClient): () => void {
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  get size(): number {
    return this.clients.size;
  }

  send(event: Record<string, unknown>): number {
    if (this.clients.size === 0) return 0;
    const text = JSON.stringify(event);
    for (const client of this.clients) client(text);
    return this.clients.size;
  }

  /** A viewer closed `win` (its pane data taken before it went). */
  async closed(win: Window): Promise<void> {
    if (this.clients.size === 0) return;
    this.send({ event_type: 'close', target: win.id, eid: win.env, pane_data: await toVisdomPane(this.service, win) });
  }

  /** A `ui:event` from a browser; replies how many clients it reached. */
  async uiEvent(payload: unknown): Promise<{ delivered: number }> {
    const req = validate(UiEventRequestSchema, payload);
    const win = await this.service.get({ env: req.env, win: req.win });
    if (this.clients.size === 0) return { delivered: 0 };
    const base = { target: req.win, eid: req.env, pane_data: await toVisdomPane(this.service, win) };
    const e = req.event;
    switch (e.type) {
      case 'PropertyUpdate':
        return { delivered: this.send({ event_type: e.type, ...base, propertyId: e.propertyId, value: e.value }) };
      case 'KeyPress':
        return { delivered: this.send({ event_type: e.type, ...base, key: e.key, key_code: e.keyCode }) };
      case 'Click':
        return { delivered: this.send({ event_type: e.type, ...base, image_coord: e.imageCoord, image: e.image ?? 0 }) };
    }
  }
}
