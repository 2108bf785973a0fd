/**
 * The page's parts around the grid: env picker, connection badge, job status, empty hint, toast.
 * @module
 */
import type { EnvSummary, ServerHello } from '@cnnvis/protocol';
import type { ConnectionState } from '../client/types';
import type { JobTracker } from '../state/job-tracker';
import { element } from '../dom';

export interface EnvPicker {
  render(envs: readonly EnvSummary[], current: string): void;
}

/**
 * A `<select>` of every env, kept live by `envs:changed`; the current env is listed even before it has a window.
 * @example createEnvPicker(select, (env) => app.switchEnv(env));
 */
export function createEnvPicker(select: HTMLSelectElement, onPick: (env: string) => void): EnvPicker {
  select.addEventListener('change', () => onPick(select.value));
  let shown = '';
  return {
    render(envs, current) {
      const ids = [...new Set([...envs.map((e) => e.id), current])].sort((a, b) => a.localeCompare(b));
      // Rebuilding the options closes an open dropdown; only do it when the list changed.
      const key = JSON.stringify(ids);
      if (key !== shown) {
        shown = key;
        select.replaceChildren(...ids.map((id) => new Option(id, id)));
      }
      select.value = current;
    },
  };
}

/**
 * The env a page opened without `?env=` shows: the most recently changed one that has windows
 * (so a user who just ran a script lands on them), or `fallback` when none has.
 * @example pickLandingEnv([{ id: 'a', windows: 2, updatedAt: 5 }, { id: 'b', windows: 1, updatedAt: 9 }], 'main') // 'b'
 */
export function pickLandingEnv(envs: readonly EnvSummary[], fallback: string): string {
  let best: EnvSummary | undefined;
  for (const env of envs) if (env.windows > 0 && (best === undefined || env.updatedAt > best.updatedAt)) best = env;
  return best?.id ?? fallback;
}

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

/**
 * The connection badge, a dot and a word, so a stalled plot is never mistaken for a stalled training run.
 * @example renderBadge(el, 'connected', hello);
 */
export function renderBadge(el: HTMLElement, state: ConnectionState, hello: ServerHello | undefined): void {
  el.dataset['state'] = state;
  el.textContent = LABELS[state];
  el.title = HINTS[state] + (hello ? ` · server ${hello.version}` : '') + (hello?.readonly === true ? ' · read-only' : '');
}

/** The top bar's job indicator: the newest running analysis, its stage and a bar. @example renderJobStatus(el, jobs); */
export function renderJobStatus(el: HTMLElement, jobs: JobTracker): void {
  el.innerHTML = '<span class="job-text"></span><span class="job-track"><span class="job-bar"></span></span>';
  const text = el.querySelector('.job-text') as HTMLElement;
  const bar = el.querySelector('.job-bar') as HTMLElement;
  const draw = () => {
    const active = jobs.active();
    const job = active[active.length - 1];
    el.hidden = job === undefined;
    if (job === undefined) return;
    const more = active.length > 1 ? ` (+${active.length - 1})` : '';
    text.textContent = `${job.stage}${more}`;
    bar.style.width = `${Math.round(job.fraction * 100)}%`;
    el.dataset['stage'] = job.stage;
  };
  jobs.subscribe(draw);
  draw();
}

/**
 * Show or hide how to put a window into the empty `env`. Text only: env names come from the URL.
 * While an analysis runs (`busy`) the env is about to fill, so say that instead.
 */
export function renderEmptyState(el: HTMLElement, env: string, show: boolean, busy = false): void {
  el.hidden = !show;
  el.dataset['busy'] = String(busy);
  if (!show) return;
  if (busy) {
    const title = element('h2', '', { text: 'Analysing the model…' });
    const hint = element('p', '', { text: `Its layer graph appears in “${env}” when the run is done.` });
    return el.replaceChildren(title, hint);
  }
  const title = element('h2', '', { text: `No windows in “${env}” yet` });
  const hint = element('p', '', { text: 'Push one from your training script; it appears here live.' });
  const code = document.createElement('pre');
  code.textContent = [
    `import { CnnVis } from '@cnnvis/client';`,
    ``,
    `const viz = new CnnVis({ url: '${location.origin}', env: '${env}' });`,
    `await viz.line({ x: [step], y: [loss] }, { win: 'loss', update: 'append', name: 'train' });`,
  ].join('\n');
  el.replaceChildren(title, hint, code);
}

const SHOW_MS = 4000;

/** A short message for something the user did that failed. @example const toast = createToast(el); toast('Could not close loss: NOT_FOUND'); */
export function createToast(el: HTMLElement): (message: string) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (message) => {
    el.textContent = message;
    el.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => (el.hidden = true), SHOW_MS);
  };
}
