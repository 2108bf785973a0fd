/**
 * A pane: the frame around a window (title, download, close) and its view. Changes to an
 * off-screen pane are merged and drawn when it scrolls in.
 * @module
 */
import type { UiEvent, Window } from '@cnnvis/protocol';
import type { RunData } from '../client/run-data';
import { createGraphView } from '../render/graph-view';
import { createImageView } from '../render/image-view';
import { createNetworkView } from '../render/network-view';
import { createPlotView } from '../render/plot-view';
import { createPropertiesView } from '../render/properties-view';
import { createTextView } from '../render/text-view';
import { toFilename } from '../render/download';
import type { PaneView, ViewHooks } from '../render/pane-view';
import type { JobTracker } from '../state/job-tracker';
import { mergeChange, type WindowChange } from '../state/store';
import { ICONS } from './icons';
import type { PaintQueue, VisibilityWatcher } from './lazy-paint';
import { button, element } from '../dom';

/** Kinds whose key presses go to the client, as in Visdom (when the pane has focus). */
const KEY_KINDS: ReadonlySet<Window['kind']> = new Set(['text', 'image']);

/** Past this many pending ops a redraw is cheaper than replaying them. */
const MAX_PENDING_OPS = 200;

export interface PaneContext {
  visibility: VisibilityWatcher;
  /** Spreads first paints over frames. */
  paints: PaintQueue;
  /** Put a server path under the UI's base path. */
  toUrl(path: string): string;
  onClose(win: string): void;
  /** A viewer acted on window `win` (property edit, key press, image click). */
  onUiEvent(win: string, event: UiEvent): void;
  onError(message: string): void;
  /** Feature maps and filters of analysis runs, for graph panes. */
  runData: RunData;
  /** Analysis jobs in flight, for graph panes' progress bars. */
  jobs: JobTracker;
}

export interface Pane {
  /** The grid item; carries `data-win`, `data-kind` and `data-ready`. */
  readonly el: HTMLElement;
  update(win: Window, change: WindowChange): void;
  dispose(): void;
}

function createView(kind: Window['kind'], body: HTMLElement, hooks: ViewHooks, ctx: PaneContext): PaneView {
  switch (kind) {
    case 'plot':
      return createPlotView(body, hooks);
    case 'image':
      return createImageView(body, hooks, ctx.toUrl);
    case 'text':
      return createTextView(body, hooks);
    case 'graph':
      return createGraphView(body, hooks, { runData: ctx.runData, jobs: ctx.jobs, onError: ctx.onError, toUrl: ctx.toUrl });
    case 'properties':
      return createPropertiesView(body, hooks);
    case 'network':
      return createNetworkView(body, hooks);
  }
}

function actionButton(action: string, label: string, icon: string): HTMLButtonElement {
  const b = button(`pane-btn pane-${action}`, '', label);
  b.dataset['action'] = action;
  b.setAttribute('aria-label', label);
  b.innerHTML = icon; // a constant from icons.ts, never window data
  return b;
}

/** @example const pane = createPane(win, ctx); grid.append(pane.el); pane.update(win, { type: 'full' }); */
export function createPane(first: Window, ctx: PaneContext): Pane {
  const el = element('div', 'grid-stack-item');
  el.dataset['win'] = first.id;
  el.dataset['testid'] = 'pane';
  el.innerHTML =
    '<div class="grid-stack-item-content pane"><header class="pane-header">' +
    '<span class="pane-icon"></span><h2 class="pane-title"></h2><div class="pane-actions"></div>' +
    '</header><div class="pane-body"></div></div>';
  const q = (sel: string) => el.querySelector(sel) as HTMLElement;
  const [icon, title, actions, body] = ['.pane-icon', '.pane-title', '.pane-actions', '.pane-body'].map(q);
  if (!icon || !title || !actions || !body) throw new Error('pane template is broken');
  actions.append(actionButton('download', 'Download PNG', ICONS.download), actionButton('close', 'Close window', ICONS.close));

  const hooks: ViewHooks = {
    ready: (r) => (el.dataset['ready'] = String(r)),
    emit: (event) => ctx.onUiEvent(latest.id, event),
  };
  // Focusable, so a text or image pane can take key presses (click it, or Tab to it).
  const frame = el.querySelector<HTMLElement>('.pane');
  frame?.setAttribute('tabindex', '0');
  frame?.addEventListener('keydown', (e) => {
    if (!KEY_KINDS.has(kind) || e.target !== frame || e.isComposing) return;
    hooks.emit({ type: 'KeyPress', key: e.key.slice(0, 100), keyCode: e.keyCode });
  });
  // gridstack blurs on mousedown in its drag handle (the title bar): focus on the click instead.
  frame?.addEventListener('click', (e) => {
    const target = e.target as Element;
    if (KEY_KINDS.has(kind) && target.closest('button, input, select, textarea, a') === null) frame.focus({ preventScroll: true });
  });
  let kind = first.kind;
  let view = createView(kind, body, hooks, ctx);
  let latest = first;
  let pending: WindowChange | undefined;
  let visible = false;
  let drawn = false;

  const paint = () => {
    if (!visible || pending === undefined) return; // scrolled away while it waited
    const change = pending;
    pending = undefined;
    drawn = true;
    return view.render(latest, change);
  };
  // A first paint waits its turn, so a quick scroll spreads them over frames; later changes draw at once.
  const flush = () => {
    if (!visible || pending === undefined) return;
    if (drawn) void paint();
    else ctx.paints.request(el, paint);
  };
  const setKind = (next: Window['kind']) => {
    el.dataset['kind'] = next;
    icon.innerHTML = ICONS[next];
    icon.title = next;
  };
  setKind(kind);

  let resizeFrame = 0;
  const resizer = new ResizeObserver(() => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => drawn && view.resize());
  });
  resizer.observe(body);
  ctx.visibility.watch(el, (v) => {
    visible = v;
    flush();
  });

  actions.addEventListener('click', (event) => {
    const action = (event.target as Element).closest<HTMLElement>('[data-action]')?.dataset['action'];
    const name = latest.opts.title ?? latest.id;
    if (action === 'close') ctx.onClose(latest.id);
    if (action === 'download') {
      view.download(toFilename(name, 'png'), name).catch((err: unknown) => {
        ctx.onError(`Download failed: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
  });

  return {
    el,
    update(win, change) {
      latest = win;
      title.textContent = win.opts.title ?? win.id;
      title.title = `${win.opts.title ?? win.id} (${win.id})`;
      if (win.kind !== kind) {
        // A window replaced by one of another kind gets a fresh view.
        view.dispose();
        kind = win.kind;
        setKind(kind);
        view = createView(kind, body, hooks, ctx);
        drawn = false;
        change = { type: 'full' };
      }
      pending = mergeChange(pending, change);
      if (pending.type === 'ops' && pending.ops.length > MAX_PENDING_OPS) pending = { type: 'full' };
      flush();
    },
    dispose() {
      ctx.visibility.unwatch(el);
      ctx.paints.cancel(el);
      resizer.disconnect();
      cancelAnimationFrame(resizeFrame);
      view.dispose();
    },
  };
}
