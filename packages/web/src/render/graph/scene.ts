/**
 * What the graph painters draw from: the layout and the view's state. Its own
 * module because both the node painter and the edge painter read it, and the
 * node painter calls the edge painter (a type kept in either made a cycle).
 * @module
 */
import type { GraphLayout } from '../../graph/layout-result';
import type { StatScale } from '../../graph/stat-scale';

/** One frame's input to `paintGraph`. */
export interface Scene {
  layout: GraphLayout;
  /** The layer whose panel is open. */
  selected: string | null;
  /** The current search hit (jumped to). */
  focused: string | null;
  hovered: string | null;
  matches: ReadonlySet<string>;
  scale: StatScale | null;
}
