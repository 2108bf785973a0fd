/**
 * Cutting this machine's absolute paths (ORT's and Node's messages name files in full) out of
 * messages users see, down to their base names.
 * @module
 */
import { readdirSync } from 'node:fs';

/**
 * A path starting a token (at the start, or after a space, quote, bracket,
 * `=`, `:` or `,`): POSIX (`/…`, `file:///…`) or a Windows drive (`C:\…`). It
 * runs to the next space, quote, bracket, comma or semicolon.
 */
const PATH_TOKEN = /(^|[\s'"`([{<=:,])((?:file:\/\/)?\/[^\s'"`()<>[\]{},;]*|[A-Za-z]:\\[^\s'"`()<>[\]{},;]*)/g;
/** Where server paths start when the root folder cannot be listed. */
const USUAL_ROOTS = ['bin', 'data', 'etc', 'home', 'lib', 'lib64', 'mnt', 'opt', 'private', 'root', 'run', 'srv', 'tmp', 'Users', 'usr', 'var', 'Volumes'];

let rootEntries: ReadonlySet<string> | undefined;

/** The names in `/`, read once: a server path must start with one of them. */
function machineRoots(): ReadonlySet<string> {
  if (!rootEntries) {
    try {
      rootEntries = new Set(readdirSync('/'));
    } catch {
      rootEntries = new Set(USUAL_ROOTS);
    }
  }
  return rootEntries;
}

/**
 * `text` with each absolute path replaced by its base name; a POSIX path counts only when its
 * first folder exists in `/`, so ONNX names such as `/conv1/Conv` stay.
 * @example
 * redactPaths('External data path: "../x.onnx" resolved path: "/tmp/x.onnx" allowed directory: "/srv/data/models"');
 * // → 'External data path: "../x.onnx" resolved path: "x.onnx" allowed directory: "models"'
 */
export function redactPaths(text: string, roots: ReadonlySet<string> = machineRoots()): string {
  return text.replace(PATH_TOKEN, (whole, before: string, token: string) => {
    // A sentence's full stop or a `path:` colon ends the path, not the file name.
    const path = token.replace(/[.:]+$/, '');
    const trail = token.slice(path.length);
    const windows = /^[A-Za-z]:\\/.test(path);
    const parts = path.replace(/^file:\/\//, '').split(windows ? /[\\/]+/ : /\/+/).filter((p) => p !== '');
    const first = windows ? parts[1] : parts[0];
    if (first === undefined || (!windows && !roots.has(first))) return whole;
    return `${before}${parts[parts.length - 1] ?? ''}${trail}`;
  });
}
