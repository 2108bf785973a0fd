/**
 * Wires client events into the store, store batches onto the board, and user actions back out.
 * Every (re)connect rebuilds the env from a snapshot, so panes are never stale.
 * @module
 */
import type { Preprocess } from '@cnnvis/protocol';
import { DEFAULT_ENV } from '@cnnvis/protocol/plain';
import { resolveBasePath, withBase } from './base-path';
import { createSocketClient } from './client/socket';
import { createStaticClient } from './client/static';
import { ClientRequestError, type CnnvisClient } from './client/types';
import { createRunData } from './client/run-data';
import { createJobTracker } from './state/job-tracker';
import { createStore, type UiState } from './state/store';
import { runDroppedAnalysis } from './upload/analysis-flow';
import { createAnalyseDialog } from './upload/analyse-dialog';
import { createDropZone, type DroppedPair } from './upload/drop-zone';
import { createBoard } from './ui/board';
import { LOGO } from './ui/icons';
import { createEnvPicker, createToast, pickLandingEnv, renderBadge, renderEmptyState, renderJobStatus } from './ui/chrome';

/** Errors a retry cannot fix. */
const FATAL_CODES = new Set(['BAD_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN']);
const RETRY_MS = 3000;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const envFromUrl = () => new URLSearchParams(location.search).get('env') || DEFAULT_ENV;

function need<T extends Element>(doc: Document, selector: string): T {
  const el = doc.querySelector<T>(selector);
  if (el === null) throw new Error(`index.html lacks ${selector}`);
  return el;
}

/** Start the UI in `doc` (the page from index.html). */
export function startApp(doc: Document): void {
  const basePath = resolveBasePath(location.pathname);
  need<HTMLElement>(doc, '.logo').innerHTML = LOGO;
  const badge = need<HTMLElement>(doc, '[data-testid="connection"]');
  const count = need<HTMLElement>(doc, '[data-testid="pane-count"]');
  const empty = need<HTMLElement>(doc, '[data-testid="empty"]');
  const toast = createToast(need<HTMLElement>(doc, '.toast'));
  const toUrl = (path: string) => withBase(basePath, path);
  const jobs = createJobTracker();
  renderJobStatus(need<HTMLElement>(doc, '[data-testid="job-status"]'), jobs);
  let client: CnnvisClient | undefined;
  let syncs = 0;
  /** No env in the URL: the first sync opens the most recently changed one. */
  let landing = !new URLSearchParams(location.search).has('env');

  const board = createBoard({
    container: need<HTMLElement>(doc, '#grid'),
    toUrl,
    runData: createRunData(toUrl),
    jobs,
    onError: toast,
    onClose(win) {
      const env = store.state.env;
      // The pane goes when the server's `window:closed` arrives, so every browser agrees.
      client?.closeWindow(env, win).catch((err: unknown) => toast(`Could not close ${win}: ${message(err)}`));
    },
    onUiEvent(win, event) {
      client?.uiEvent({ env: store.state.env, win, event }).catch((err: unknown) => toast(`Event not delivered: ${message(err)}`));
    },
    onLayout(items) {
      client?.saveLayout(store.state.env, items).catch((err: unknown) => toast(`Layout not saved: ${message(err)}`));
    },
  });

  const showCounts = (state: UiState) => {
    const n = state.windows.size;
    count.textContent = `${n} window${n === 1 ? '' : 's'}`;
    renderEmptyState(empty, state.env, n === 0, jobs.active().length > 0);
  };
  jobs.subscribe(() => showCounts(store.state));
  const picker = createEnvPicker(need<HTMLSelectElement>(doc, '#env-select'), (env) => switchEnv(env, true));
  const store = createStore(envFromUrl(), {
    batch(batch, state) {
      board.apply(batch, state);
      showCounts(state);
    },
    meta(state) {
      picker.render(state.envs, state.env);
      renderBadge(badge, state.connection, state.hello);
      board.setReadonly(state.hello?.readonly === true);
      doc.title = `${state.env} · cnnvis`;
    },
    desync(reason) {
      console.warn(`cnnvis: resyncing ${store.state.env}: ${reason}`);
      void sync();
    },
  });

  /** Subscribe to the current env and rebuild from the snapshot; a newer call wins. */
  async function sync(): Promise<void> {
    if (client === undefined) return;
    const token = ++syncs;
    store.beginSync(store.state.env);
    try {
      if (landing) {
        const envs = await client.listEnvs();
        if (token !== syncs) return;
        landing = false;
        store.beginSync(pickLandingEnv(envs, store.state.env));
      }
      const env = store.state.env;
      const [envs, snapshot] = await Promise.all([client.listEnvs(), client.subscribe(env)]);
      if (token !== syncs) return;
      store.setMeta({ envs });
      store.reset(snapshot);
      showCounts(store.state);
      // For tests and scripts: which env is shown, and how many times it was (re)built.
      doc.body.dataset['env'] = env;
      doc.body.dataset['syncs'] = String(Number(doc.body.dataset['syncs'] ?? '0') + 1);
    } catch (err) {
      if (token !== syncs) return;
      toast(`Could not load env ${store.state.env}: ${message(err)}`);
      // A timeout or a server hiccup is worth another try; a bad env name is not.
      const fatal = err instanceof ClientRequestError && FATAL_CODES.has(err.code);
      if (!fatal) setTimeout(() => token === syncs && void sync(), RETRY_MS);
    }
  }

  function switchEnv(env: string, push: boolean): void {
    landing = false;
    if (env === store.state.env) return;
    if (push) {
      const url = new URL(location.href);
      url.searchParams.set('env', env);
      history.pushState(null, '', url);
    }
    store.beginSync(env);
    void sync();
  }
  window.addEventListener('popstate', () => switchEnv(envFromUrl(), false));

  const analyse = (pair: DroppedPair, preprocess: Preprocess) =>
    runDroppedAnalysis(pair, { client: () => client, jobs, toUrl, env: () => store.state.env }, preprocess).then(
      (r) => toast(`${pair.model.name}: ${r.layers.length} layers analysed on ${r.provider.toUpperCase()} in ${Math.round(r.timings.totalMs)} ms`),
      (err: unknown) => toast(`Analysis of ${pair.model.name} failed: ${message(err)}`),
    );
  const dialog = createAnalyseDialog(doc, need<HTMLButtonElement>(doc, '[data-testid="analyse-button"]'), { onSubmit: analyse });
  createDropZone(doc, {
    overlay: need<HTMLElement>(doc, '[data-testid="drop-overlay"]'),
    pending: need<HTMLElement>(doc, '[data-testid="drop-pending"]'),
    onError: toast,
    onPair: (pair) => analyse(pair, dialog.preprocess()),
  });

  // `?static`: one snapshot over the REST read API instead of the live socket.
  client = (new URLSearchParams(location.search).has('static') ? createStaticClient : createSocketClient)({
    basePath,
    listener: {
      connection(state, recovered) {
        store.setMeta({ connection: state });
        if ((state === 'connected' && recovered !== true) || state === 'static') void sync();
      },
      'server:hello': (hello) => store.setMeta({ hello }),
      'envs:changed': (envs) => store.setMeta({ envs }),
      'window:created': (win) => store.push(win.env, { type: 'created', win }),
      'window:updated': (delta) => store.push(delta.env, { type: 'updated', delta }),
      'window:closed': (ref) => store.push(ref.env, { type: 'closed', win: ref.win }),
      'layout:saved': (layout) => store.push(layout.env, { type: 'layout', items: layout.items }),
      'job:progress': (progress) => jobs.update(progress),
      // This tab fell behind and gets no more deltas until it re-subscribes: rebuild from a snapshot.
      'env:resync': (ref) => {
        console.warn(`cnnvis: resyncing ${ref.env}: ${ref.reason}`);
        if (ref.env === store.state.env) void sync();
      },
      'env:deleted': (ref) => {
        if (ref.env === store.state.env) store.reset({ env: ref.env, windows: [] });
      },
    },
  });
  store.setMeta({});
}
