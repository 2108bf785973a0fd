/**
 * Which env a page opened without `?env=` shows: the one changed most
 * recently, so a user who just ran a script lands on its windows rather than
 * on an empty `main`.
 * @module
 */
import type { EnvSummary } from '@cnnvis/protocol';

/**
 * The most recently changed env that has windows, or `fallback` when none has.
 * @example pickLandingEnv([{ id: 'a', windows: 2, updatedAt: 5 }, { id: 'b', windows: 1, updatedAt: 9 }], 'main') // 'b'
 */
export function pickLandingEnv(envs: readonly EnvSummary[], fallback: string): string {
  let best: EnvSummary | undefined;
  for (const env of envs) if (env.windows > 0 && (best === undefined || env.updatedAt > best.updatedAt)) best = env;
  return best?.id ?? fallback;
}
