/**
 * Where a stored image can be fetched. The rev in the query makes the URL
 * change whenever the window does, so browsers may cache it forever.
 * @module
 */
export function imageUrl(env: string, win: string, index: number, rev: number): string {
  return `/api/envs/${encodeURIComponent(env)}/windows/${encodeURIComponent(win)}/images/${index}?rev=${rev}`;
}
