/**
 * The panel's way around the graph: previous / next layer buttons, and the
 * open layer's tensors, each name a link to where it comes from (inputs) or
 * goes to (outputs), with every producer and consumer listed as a link too.
 * @module
 */
import type { TensorLink } from '../../graph/navigation';

export interface LayerNavHooks {
  /** Open visible node `id` (opening any folded group it lies in). */
  go(id: string): void;
  step(direction: 1 | -1): void;
}

function link(cls: string, text: string, target: string | undefined, title: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = text;
  b.title = title;
  if (target === undefined) b.disabled = true;
  else b.dataset['target'] = target;
  return b;
}

/** @example head.append(renderLayerNav(tensorLinks(graph, vis, id), { go, step })); */
export function renderLayerNav(links: readonly TensorLink[], hooks: LayerNavHooks): HTMLElement {
  const el = document.createElement('div');
  el.className = 'panel-nav';
  el.dataset['testid'] = 'panel-nav';
  const steps = document.createElement('div');
  steps.className = 'panel-steps';
  for (const [dir, text, keys] of [[-1, '‹ Previous', '[ or ↑'], [1, 'Next ›', '] or ↓']] as const) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'step-btn';
    b.textContent = text;
    b.title = `${dir < 0 ? 'Previous' : 'Next'} layer in the model's order (${keys})`;
    b.dataset['step'] = String(dir);
    b.addEventListener('click', () => hooks.step(dir));
    steps.append(b);
  }
  const tensors = document.createElement('div');
  tensors.className = 'panel-tensors';
  tensors.dataset['testid'] = 'panel-tensors';
  for (const t of links) {
    const row = document.createElement('div');
    row.className = 'tensor-row';
    row.dataset['role'] = t.role;
    const role = document.createElement('span');
    role.className = 'tensor-role';
    role.textContent = t.role === 'input' ? 'in' : 'out';
    const first = t.targets[0];
    const name = link('tensor-name', t.tensor, first?.id, first ? `Go to ${t.role === 'input' ? 'its producer' : 'its first consumer'}: ${first.label}` : 'Nothing to go to');
    name.dataset['tensor'] = t.tensor;
    const arrow = document.createElement('span');
    arrow.className = 'tensor-arrow';
    arrow.textContent = t.role === 'input' ? '← from' : '→ to';
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
