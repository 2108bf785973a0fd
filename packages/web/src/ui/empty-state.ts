/**
 * What an env with no windows shows: how to put something in it.
 * @module
 */

/**
 * Show or hide the hint for `env`. Text only: env names come from the URL.
 * While an analysis runs (`busy`) the env is about to fill, so say that instead.
 */
export function renderEmptyState(el: HTMLElement, env: string, show: boolean, busy = false): void {
  el.hidden = !show;
  el.dataset['busy'] = String(busy);
  if (!show) return;
  if (busy) {
    const title = document.createElement('h2');
    title.textContent = 'Analysing the model…';
    const hint = document.createElement('p');
    hint.textContent = `Its layer graph appears in “${env}” when the run is done.`;
    return el.replaceChildren(title, hint);
  }
  const title = document.createElement('h2');
  title.textContent = `No windows in “${env}” yet`;
  const hint = document.createElement('p');
  hint.textContent = 'Push one from your training script; it appears here live.';
  const code = document.createElement('pre');
  code.textContent = [
    `import { CnnVis } from '@cnnvis/client';`,
    ``,
    `const viz = new CnnVis({ url: '${location.origin}', env: '${env}' });`,
    `await viz.line({ x: [step], y: [loss] }, { win: 'loss', update: 'append', name: 'train' });`,
  ].join('\n');
  el.replaceChildren(title, hint, code);
}
