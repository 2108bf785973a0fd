/**
 * Visdom's env endpoints over the native service: list, create, save, fork,
 * delete, and reading/writing whole windows (`/win_data`).
 * @module
 */
import { badField, CnnvisError } from '../errors';
import type { WindowService } from '../window-service';
import { toEnvId, toWinId } from './ids';
import { paneToEventsBody, toCreateRequest } from './pane-content';
import { toVisdomPane } from './visdom-pane';

type Body = Record<string, unknown>;

export async function closeWindows(service: WindowService, body: Body): Promise<void> {
  const env = toEnvId(body['eid']);
  const win = toWinId(body['win']);
  const close = (id: string) => service.close({ env, win: id });
  if (win !== undefined) {
    if (await service.exists(env, win)) await close(win);
    return;
  }
  if (!(await hasEnv(service, env))) return;
  for (const w of await service.listWindows(env)) await close(w.id);
}

const hasEnv = async (service: WindowService, env: string) => (await service.listEnvs()).some((e) => e.id === env);

/** `/win_data`: read one window or all (JSON text), or overwrite them from `data` (a JSON string). */
export async function winData(service: WindowService, body: Body): Promise<string> {
  const env = toEnvId(body['eid']);
  const win = toWinId(body['win']);
  const data = body['data'];
  if (data === undefined || data === null) {
    if (win !== undefined) return JSON.stringify(await toVisdomPane(service, await service.get({ env, win })));
    const windows = (await hasEnv(service, env)) ? await service.listWindows(env) : [];
    return JSON.stringify(Object.fromEntries(await Promise.all(windows.map(async (w) => [w.id, await toVisdomPane(service, w)]))));
  }
  let parsed: unknown;
  try {
    parsed = typeof data === 'string' ? JSON.parse(data) : data;
  } catch {
    throw badField('data', 'must be the JSON string get_window_data returned');
  }
  if (win !== undefined) {
    if (!(await service.exists(env, win))) throw CnnvisError.notFound(`window '${win}' not found in env '${env}'`);
    await service.create(toCreateRequest(paneToEventsBody(parsed, env, win)));
    return '';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badField('data', 'must map window ids to panes');
  const panes = Object.entries(parsed as Record<string, unknown>);
  // Convert everything first, so a bad pane changes nothing.
  const requests = panes.map(([id, pane]) => toCreateRequest(paneToEventsBody(pane, env, id)));
  const keep = new Set(panes.map(([id]) => id));
  if (await hasEnv(service, env)) {
    for (const w of await service.listWindows(env)) if (!keep.has(w.id)) await service.close({ env, win: w.id });
  }
  for (const req of requests) await service.create(req);
  return '';
}

/** `/save`: every change is already stored; replies the ids of the listed envs that exist. */
export async function saveEnvs(service: WindowService, body: Body): Promise<string> {
  const data = body['data'];
  if (!Array.isArray(data)) throw badField('data', 'must be a list of env ids');
  const known = new Set((await service.listEnvs()).map((e) => e.id));
  return JSON.stringify(data.map((e) => toEnvId(e, 'data[]')).filter((e) => known.has(e)));
}

export async function forkEnv(service: WindowService, body: Body): Promise<string> {
  const from = toEnvId(body['prev_eid'], 'prev_eid');
  const to = toEnvId(body['eid']);
  await service.fork({ from, to });
  return to;
}

export async function deleteEnv(service: WindowService, body: Body): Promise<string> {
  const env = toEnvId(body['eid']);
  await service.deleteEnv({ env });
  return env;
}
