/**
 * The connection badge: a dot and a word, so a stalled plot is never
 * mistaken for a stalled training run.
 * @module
 */
import type { ConnectionState } from '../client';
import type { ServerHello } from '@cnnvis/protocol';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
  static: 'snapshot',
};

const HINTS: Record<ConnectionState, string> = {
  connecting: 'Connecting to the cnnvis server',
  connected: 'Connected: windows update live',
  reconnecting: 'Lost the server; retrying. Panes resync when it is back.',
  static: 'Read-only snapshot (?static): no live updates',
};

/** @example renderBadge(el, 'connected', hello); */
export function renderBadge(el: HTMLElement, state: ConnectionState, hello: ServerHello | undefined): void {
  el.dataset['state'] = state;
  el.textContent = LABELS[state];
  el.title = HINTS[state] + (hello ? ` · server ${hello.version}` : '') + (hello?.readonly === true ? ' · read-only' : '');
}
