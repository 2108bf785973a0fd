/**
 * A properties pane (Visdom's `viz.properties`): committing an edit emits `PropertyUpdate`;
 * as in Visdom, the owning client answers by updating the window.
 * @module
 */
import type { Property, Window } from '@cnnvis/protocol';
import { downloadCanvas, whiteCanvas } from './download';
import type { PaneView, ViewHooks } from './pane-view';
import { button, element } from '../dom';

type Value = string | number | boolean;

/** The index a select's value names: Visdom sends an index; a name is looked up. */
export function selectIndex(prop: Property): number {
  if (typeof prop.value === 'number') return prop.value;
  const at = (prop.values ?? []).indexOf(String(prop.value));
  return at < 0 ? 0 : at;
}

/** A committed field's text as the value to send, or undefined when it is not one (e.g. `1e` in a number field). */
export function parseFieldValue(type: Property['type'], text: string): Value | undefined {
  if (type !== 'number') return text;
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function createPropertiesView(body: HTMLElement, hooks: ViewHooks): PaneView {
  const form = element('form', 'properties-view');
  form.autocomplete = 'off';
  form.addEventListener('submit', (e) => e.preventDefault());
  body.append(form);
  let props: Property[] = [];

  function field(prop: Property, index: number): HTMLElement {
    const id = `prop-${Math.random().toString(36).slice(2)}-${index}`;
    const row = element('div', 'property');
    row.dataset['index'] = String(index);
    row.dataset['type'] = prop.type;
    const label = element('label', 'property-name', { text: prop.name });
    label.htmlFor = id;
    const send = (value: Value) => hooks.emit({ type: 'PropertyUpdate', propertyId: index, value });
    let control: HTMLElement;
    switch (prop.type) {
      case 'text':
      case 'number': {
        const input = document.createElement('input');
        input.type = prop.type === 'number' ? 'number' : 'text';
        if (prop.type === 'number') input.step = 'any';
        input.value = String(prop.value);
        let sent = input.value;
        const commit = () => {
          if (input.value === sent) return;
          const value = parseFieldValue(prop.type, input.value);
          if (value === undefined) return;
          sent = input.value;
          send(value);
        };
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        });
        input.addEventListener('change', commit);
        input.addEventListener('blur', commit);
        control = input;
        break;
      }
      case 'checkbox': {
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.checked = prop.value === true || prop.value === 'true' || prop.value === 1;
        input.addEventListener('change', () => send(input.checked));
        control = input;
        break;
      }
      case 'select': {
        const select = document.createElement('select');
        select.append(...(prop.values ?? []).map((name, i) => new Option(name, String(i))));
        select.selectedIndex = selectIndex(prop);
        select.addEventListener('change', () => send(select.selectedIndex));
        control = select;
        break;
      }
      case 'button': {
        const b = button('', String(prop.value));
        b.addEventListener('click', () => send(prop.value));
        control = b;
        break;
      }
    }
    control.id = id;
    control.classList.add('property-control');
    row.append(label, control);
    return row;
  }

  return {
    render(win: Window) {
      if (win.content.kind !== 'properties') return;
      props = win.content.properties;
      // A client answering an edit re-sends the window: keep the viewer's place in the form.
      const focused = form.querySelector<HTMLElement>('.property:focus-within')?.dataset['index'];
      form.replaceChildren(...props.map(field));
      if (focused !== undefined) form.querySelector<HTMLElement>(`.property[data-index="${focused}"] .property-control`)?.focus({ preventScroll: true });
      hooks.ready(true);
    },
    resize() {},
    async download(filename, title) {
      const rows = [[title, ''] as const, ...props.map((p) => [p.name, p.type === 'select' ? (p.values ?? [])[selectIndex(p)] ?? '' : String(p.value)] as const)];
      const { canvas, ctx } = whiteCanvas(Math.max(320, form.clientWidth), rows.length * 24 + 16);
      ctx.textBaseline = 'top';
      rows.forEach(([name, value], i) => {
        ctx.font = i === 0 ? '600 13px Inter, system-ui, sans-serif' : '13px Inter, system-ui, sans-serif';
        ctx.fillStyle = '#374151';
        ctx.fillText(name, 14, 10 + i * 24);
        ctx.fillStyle = '#111827';
        ctx.fillText(value, canvas.width / 2, 10 + i * 24);
      });
      await downloadCanvas(canvas, filename);
    },
    dispose() {
      form.remove();
    },
  };
}
