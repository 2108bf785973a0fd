/**
 * What an env with no windows shows: how to put something in it.
 * @module
 */

/** Show or hide the hint for `env`. Text only: env names come from the URL. */
export function renderEmptyState(el: HTMLElement, env: string, show: boolean): void {
  el.hidden = !show;
  if (!show) return;
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
