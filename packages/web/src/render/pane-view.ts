/**
 * The contract between a pane frame and the view inside it; views never reach into the store.
 * @module
 */
import type { UiEvent, Window } from '@cnnvis/protocol';
import type { WindowChange } from '../state/store';

/** What a view tells its pane. */
export interface ViewHooks {
  /** The view has drawn its content (plot drawn, all images loaded, text loaded). */
  ready(ready: boolean): void;
  /** A viewer acted on the pane (edited a property, clicked an image); the pane sends it as `ui:event`. */
  emit(event: UiEvent): void;
}

export interface PaneView {
  /**
   * Draw `win`. `change` says how it got there: `full` draws from scratch;
   * `ops` lists what changed since the last call, for views that draw deltas.
   * A view that draws asynchronously returns when it is done.
   */
  render(win: Window, change: WindowChange): void | Promise<void>;
  /** The pane's size changed. */
  resize(): void;
  /** Save what the pane shows as a PNG. */
  download(filename: string, title: string): Promise<void>;
  dispose(): void;
}
