/**
 * One IntersectionObserver for every pane: with 200 panes in an env, only
 * the ones on screen (plus a margin, so scrolling looks seamless) draw.
 * @module
 */

export interface VisibilityWatcher {
  watch(el: Element, onChange: (visible: boolean) => void): void;
  unwatch(el: Element): void;
}

/** @example const vis = createVisibilityWatcher(); vis.watch(pane, (v) => v && draw()); */
export function createVisibilityWatcher(rootMargin = '300px 0px'): VisibilityWatcher {
  const callbacks = new WeakMap<Element, (visible: boolean) => void>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) callbacks.get(entry.target)?.(entry.isIntersecting);
    },
    { rootMargin },
  );
  return {
    watch(el, onChange) {
      callbacks.set(el, onChange);
      observer.observe(el);
    },
    unwatch(el) {
      callbacks.delete(el);
      observer.unobserve(el);
    },
  };
}
