/**
 * `]`/`j`/↓ and `[`/`k`/↑ step through layers while a panel is open; with several graph panes,
 * the one whose layer opened last gets them.
 * @module
 */

const NEXT = new Set([']', 'j', 'ArrowDown']);
const PREV = new Set(['[', 'k', 'ArrowUp']);

/** The pane that opened a layer last. */
let owner: object | null = null;

export interface LayerKeys {
  /** This pane opened a layer: keys are its now. */
  claim(): void;
  dispose(): void;
}

/** @example const keys = attachLayerKeys({ isOpen: () => !panel.el.hidden, step }); keys.claim(); */
export function attachLayerKeys(o: { isOpen(): boolean; step(direction: 1 | -1): void }): LayerKeys {
  const me = {};
  const onKey = (e: KeyboardEvent) => {
    if (owner !== me || !o.isOpen() || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    // Typing in the search box or a select keeps its keys.
    if ((e.target as Element | null)?.closest?.('input, textarea, select, [contenteditable="true"]')) return;
    const direction = NEXT.has(e.key) ? 1 : PREV.has(e.key) ? -1 : 0;
    if (direction === 0) return;
    e.preventDefault(); // arrows would scroll the page too
    o.step(direction);
  };
  document.addEventListener('keydown', onKey);
  return {
    claim: () => (owner = me),
    dispose() {
      document.removeEventListener('keydown', onKey);
      if (owner === me) owner = null;
    },
  };
}
