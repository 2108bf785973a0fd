/**
 * A short message at the bottom of the screen for things the user did that
 * failed (a close the server refused, a download that broke).
 * @module
 */

const SHOW_MS = 4000;

/** @example const toast = createToast(el); toast('Could not close loss: NOT_FOUND'); */
export function createToast(el: HTMLElement): (message: string) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (message) => {
    el.textContent = message;
    el.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => (el.hidden = true), SHOW_MS);
  };
}
