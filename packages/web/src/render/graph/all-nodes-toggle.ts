/**
 * The toolbar's "All nodes" switch: off, weight-only nodes are folded into the
 * layers that read them; on, the raw ONNX graph is drawn. Hidden for a graph
 * with nothing folded.
 * @module
 */

export interface AllNodesToggle {
  readonly el: HTMLElement;
  /** How many nodes are folded; 0 hides the switch. */
  setFolded(count: number): void;
}

/** @example const toggle = createAllNodesToggle((on) => …); toolbar.el.append(toggle.el); */
export function createAllNodesToggle(onChange: (on: boolean) => void): AllNodesToggle {
  const el = document.createElement('label');
  el.className = 'graph-toggle';
  el.dataset['testid'] = 'graph-all-nodes';
  const box = document.createElement('input');
  box.type = 'checkbox';
  const text = document.createElement('span');
  el.append(box, text);
  box.addEventListener('change', () => onChange(box.checked));
  return {
    el,
    setFolded(count) {
      el.hidden = count === 0;
      text.textContent = 'All nodes';
      el.title = `Also draw the ${count} weight-only node${count === 1 ? '' : 's'} (Identity, Constant, … of weights) folded into the layers that read them`;
      box.checked = false; // a newly loaded graph starts folded
    },
  };
}
