/**
 * Previous / next layer buttons, and the open layer's tensors linked to their producers and
 * consumers.
 * @module
 */
import type { TensorLink } from '../../graph/navigation';
import { button, element } from '../../dom';

export interface LayerNavHooks {
  /** Open visible node `id` (opening any folded group it lies in). */
  go(id: string): void;
  step(direction: 1 | -1): void;
}

function link(cls: string, text: string, target: string | undefined, title: string): HTMLButtonElement {
  const b = button(cls, text, title);
  if (target === undefined) b.disabled = true;
  else b.dataset['target'] = target;
  return b;
}

/** @example head.append(renderLayerNav(tensorLinks(graph, vis, id), { go, step })); */
export function renderLayerNav(links: readonly TensorLink[], hooks: LayerNavHooks): HTMLElement {
  const el = element('div', 'panel-nav', { testid: 'panel-nav' });
  const steps = element('div', 'panel-steps');
  for (const [dir, text, keys] of [[-1, '‹ Previous', '[ or ↑'], [1, 'Next ›', '] or ↓']] as const) {
    const b = button('step-btn', text, `${dir < 0 ? 'Previous' : 'Next'} layer in the model's order (${keys})`);
    b.dataset['step'] = String(dir);
    b.addEventListener('click', () => hooks.step(dir));
    steps.append(b);
  }
  const tensors = element('div', 'panel-tensors', { testid: 'panel-tensors' });
  for (const t of links) {
    const row = element('div', 'tensor-row');
    row.dataset['role'] = t.role;
    const role = element('span', 'tensor-role', { text: t.role === 'input' ? 'in' : 'out' });
    const first = t.targets[0];
    const name = link('tensor-name', t.tensor, first?.id, first ? `Go to ${t.role === 'input' ? 'its producer' : 'its first consumer'}: ${first.label}` : 'Nothing to go to');
    name.dataset['tensor'] = t.tensor;
    const arrow = element('span', 'tensor-arrow', { text: t.role === 'input' ? '← from' : '→ to' });
    row.append(role, name, arrow, ...t.targets.map((x) => link('tensor-target', x.label, x.id, `Go to ${x.id.slice(2)}`)));
    if (t.targets.length === 0) arrow.textContent = t.role === 'input' ? '' : '→ nothing';
    tensors.append(row);
  }
  el.append(steps, tensors);
  el.addEventListener('click', (e) => {
    const target = (e.target as Element).closest<HTMLElement>('[data-target]')?.dataset['target'];
    if (target !== undefined) hooks.go(target);
  });
  return el;
}
