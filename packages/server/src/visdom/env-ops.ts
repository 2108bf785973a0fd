/**
 * Visdom's env endpoints over the native service: list, create, save, fork,
 * delete, and reading/writing whole windows (`/win_data`).
 * @module
 */
import { CnnvisError } from '../errors';
import type { WindowService } from '../window-service';
import { badField, toEnvId, toWinId } from './ids';
import { paneToEventsBody, toCreateRequest } from './pane-content';
import { toVisdomPane } from './visdom-pane';

type Body = Record<string, unknown>;

export function createEnv(service: WindowService, env: string): void {
  service.createEnv(env);
}

export function closeWindows(service: WindowService, body: Body): void {
  const env = toEnvId(body['eid']);
  const win = toWinId(body['win']);
  const close = (id: string) => service.close({ env, win: id });
  if (win !== undefined) {
    if (winExists(service, env, win)) close(win);
    return;
  }
  if (!service.listEnvs().some((e) => e.id === env)) return;
  for (const w of service.listWindows(env)) close(w.id);
}

export function winExists(service: WindowService, env: string, win: string): boolean {
  return service.exists(env, win);
}

/** `/win_data`: read one window or all (JSON text), or overwrite them from `data` (a JSON string). */
export function winData(service: WindowService, body: Body): string {
  const env = toEnvId(body['eid']);
  const win = toWinId(body['win']);
  const data = body['data'];
  if (data === undefined || data === null) {
    if (win !== undefined) return JSON.stringify(toVisdomPane(service, service.get({ env, win })));
    const windows = service.listEnvs().some((e) => e.id === env) ? service.listWindows(env) : [];
    return JSON.stringify(Object.fromEntries(windows.map((w) => [w.id, toVisdomPane(service, w)])));
  }
  let parsed: unknown;
  try {
    parsed = typeof data === 'string' ? JSON.parse(data) : data;
  } catch {
    throw badField('data', 'must be the JSON string get_window_data returned');
  }
  if (win !== undefined) {
    if (!winExists(service, env, win)) throw CnnvisError.notFound(`window '${win}' not found in env '${env}'`);
    service.create(toCreateRequest(paneToEventsBody(parsed, env, win)));
    return '';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badField('data', 'must map window ids to panes');
  const panes = Object.entries(parsed as Record<string, unknown>);
  // Convert everything first, so a bad pane changes nothing.
  const requests = panes.map(([id, pane]) => toCreateRequest(paneToEventsBody(pane, env, id)));
  const keep = new Set(panes.map(([id]) => id));
  if (service.listEnvs().some((e) => e.id === env)) {
    for (const w of service.listWindows(env)) if (!keep.has(w.id)) service.close({ env, win: w.id });
  }
  for (const req of requests) service.create(req);
  return '';
}

/** `/save`: every change is already stored; replies the ids of the listed envs that exist. */
export function saveEnvs(service: WindowService, body: Body): string {
  const data = body['data'];
  if (!Array.isArray(data)) throw badField('data', 'must be a list of env ids');
  const known = new Set(service.listEnvs().map((e) => e.id));
  return JSON.stringify(data.map((e) => toEnvId(e, 'data[]')).filter((e) => known.has(e)));
}

export function forkEnv(service: WindowService, body: Body): string {
  const from = toEnvId(body['prev_eid'], 'prev_eid');
  const to = toEnvId(body['eid']);
  service.fork({ from, to });
  return to;
}

export function deleteEnv(service: WindowService, body: Body): string {
  const env = toEnvId(body['eid']);
  service.deleteEnv({ env });
  return env;
}
