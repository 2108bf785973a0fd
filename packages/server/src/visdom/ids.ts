/**
 * Visdom's env and window ids as cnnvis ids: a missing env is `main`, `/` in
 * an env becomes `_` (as Visdom's server does), and a missing window id gets
 * a fresh `window_<hex>` like the server's `window_<uuid4>`.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_ENV } from '@cnnvis/protocol';
import { badField } from '../errors';

/** The env a request names (`eid`, or another field), `main` when absent. */
export function toEnvId(value: unknown, field = 'eid'): string {
  if (value === undefined || value === null) return DEFAULT_ENV;
  if (typeof value !== 'string') throw badField(field, 'must be a string');
  return value.replaceAll('/', '_');
}

/** The window a request names, or undefined when it names none. */
export function toWinId(value: unknown, field = 'win'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw badField(field, 'must be a string');
  return String(value);
}

/** A window id for a create that names none. */
export function newWinId(): string {
  return `window_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}
