/**
 * The env picker: a `<select>` of every env, kept live by `envs:changed`.
 * The current env is always listed, even before it has any window.
 * @module
 */
import type { EnvSummary } from '@cnnvis/protocol';

export interface EnvPicker {
  render(envs: readonly EnvSummary[], current: string): void;
}

/** @example createEnvPicker(select, (env) => app.switchEnv(env)); */
export function createEnvPicker(select: HTMLSelectElement, onPick: (env: string) => void): EnvPicker {
  select.addEventListener('change', () => onPick(select.value));
  let shown = '';
  return {
    render(envs, current) {
      const ids = [...new Set([...envs.map((e) => e.id), current])].sort((a, b) => a.localeCompare(b));
      // Rebuilding the options closes an open dropdown; only do it when the list changed.
      const key = JSON.stringify(ids);
      if (key !== shown) {
        shown = key;
        select.replaceChildren(
          ...ids.map((id) => {
            const option = document.createElement('option');
            option.value = id;
            option.textContent = id;
            return option;
          }),
        );
      }
      select.value = current;
    },
  };
}
