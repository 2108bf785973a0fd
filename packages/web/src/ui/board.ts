/**
 * The pane grid (gridstack): a user's drag or resize saves the env's layout; panes without a
 * saved place are auto-placed.
 * @module
 */
import { GridStack, type GridItemHTMLElement } from 'gridstack';
import type { LayoutItem, Window } from '@cnnvis/protocol';
import type { ChangeBatch, UiState } from '../state/store';
import { createPane, type Pane, type PaneContext } from './pane';
import { CELL_HEIGHT_PX, defaultPaneSize, GRID_COLUMNS } from './pane-size';
import { createPaintQueue, createVisibilityWatcher } from './lazy-paint';

export interface BoardOptions extends Omit<PaneContext, 'visibility' | 'paints'> {
  container: HTMLElement;
  /** The user moved or resized a pane: here is every pane's place. */
  onLayout(items: LayoutItem[]): void;
}

export interface Board {
  /** Bring the panes in line with the store after a frame's changes. */
  apply(batch: ChangeBatch, state: UiState): void;
  /** A read-only server: panes can no longer be dragged, resized or closed. */
  setReadonly(readonly: boolean): void;
  readonly size: number;
}

/** Saved layouts first (top to bottom), so auto-placed panes fill the gaps around them. */
function placementOrder(windows: Iterable<Window>): Window[] {
  const all = [...windows];
  const placed = all.filter((w) => w.layout !== null);
  placed.sort((a, b) => (a.layout?.y ?? 0) - (b.layout?.y ?? 0) || (a.layout?.x ?? 0) - (b.layout?.x ?? 0));
  return [...placed, ...all.filter((w) => w.layout === null)];
}

/** @example const board = createBoard({ container, onLayout, onClose, onError, toUrl }); */
export function createBoard(opts: BoardOptions): Board {
  const grid = GridStack.init(
    {
      column: GRID_COLUMNS,
      cellHeight: CELL_HEIGHT_PX,
      margin: 5,
      float: false,
      animate: true,
      draggable: { handle: '.pane-header', cancel: 'button' },
      resizable: { handles: 'se' },
    },
    opts.container,
  );
  const ctx: PaneContext = { ...opts, visibility: createVisibilityWatcher(), paints: createPaintQueue() };
  const panes = new Map<string, Pane>();

  const saveLayout = () => {
    const items: LayoutItem[] = [];
    for (const el of grid.getGridItems()) {
      const n = el.gridstackNode;
      const win = el.dataset['win'];
      if (n && win !== undefined) items.push({ win, x: n.x ?? 0, y: n.y ?? 0, w: n.w ?? 1, h: n.h ?? 1 });
    }
    opts.onLayout(items);
  };
  // gridstack settles the other panes right after the stop event; read positions after that.
  grid.on('dragstop resizestop', () => setTimeout(saveLayout, 0));

  const move = (el: GridItemHTMLElement, layout: Window['layout']) => {
    const n = el.gridstackNode;
    if (layout === null || !n) return;
    if (n.x !== layout.x || n.y !== layout.y || n.w !== layout.w || n.h !== layout.h) grid.update(el, layout);
  };

  const add = (win: Window) => {
    const pane = createPane(win, ctx);
    panes.set(win.id, pane);
    opts.container.append(pane.el);
    const size = defaultPaneSize(win, grid.cellWidth());
    grid.makeWidget(pane.el, win.layout !== null ? { ...win.layout } : { ...size, autoPosition: true });
    pane.update(win, { type: 'full' });
  };

  const remove = (id: string) => {
    const pane = panes.get(id);
    if (pane === undefined) return;
    panes.delete(id);
    pane.dispose();
    grid.removeWidget(pane.el, true, false);
  };

  return {
    setReadonly(readonly) {
      grid.setStatic(readonly);
      opts.container.classList.toggle('readonly', readonly);
    },
    apply(batch, state) {
      // New panes must appear in place: sliding in from the top would make every one
      // of them briefly visible, and draw all 200 plots of a big env at once.
      const adding = batch.reset || [...batch.windows.keys()].some((id) => !panes.has(id));
      if (adding) grid.setAnimation(false);
      grid.batchUpdate(true);
      try {
        if (batch.reset) {
          for (const id of [...panes.keys()]) if (!state.windows.has(id)) remove(id);
          for (const win of placementOrder(state.windows.values())) {
            const pane = panes.get(win.id);
            if (pane === undefined) add(win);
            else {
              move(pane.el, win.layout);
              pane.update(win, { type: 'full' });
            }
          }
        }
        for (const [id, change] of batch.reset ? [] : batch.windows) {
          const win = state.windows.get(id);
          const pane = panes.get(id);
          if (change.type === 'closed' || win === undefined) remove(id);
          else if (pane === undefined) add(win);
          else pane.update(win, change);
        }
        for (const id of batch.layouts) {
          const pane = panes.get(id);
          const win = state.windows.get(id);
          if (pane && win) move(pane.el, win.layout);
        }
      } finally {
        grid.batchUpdate(false);
        if (adding) grid.setAnimation(true, true);
      }
    },
    get size() {
      return panes.size;
    },
  };
}
