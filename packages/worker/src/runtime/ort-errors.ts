/**
 * ONNX Runtime's errors as WorkerErrors, their C++ locations and signatures cut and their paths
 * cut to base names.
 * @module
 */
import { redactPaths } from '../redact-paths';
import { ModelError, WorkerError } from '../worker-error';

/** A C++ source location, `path/file.cc:123 `, anywhere in a message (ORT nests them in status messages). */
const SOURCE_LOCATION = /\S+\.(?:cc|cpp|h):\d+ /g;
/** What may precede a `ns::fn(` signature after a location: a return type of up to three tokens, then the qualified name. */
const SIGNATURE_HEAD = /^(?:[\w:<>,*&]+ ){0,3}[\w:~<>]*::[\w~<>]+$/;

/**
 * ORT's message without its `[ONNXRuntimeError]` prefix and `file.cc:123 ns::fn(args)` parts,
 * and with this machine's paths cut to base names.
 * @example
 * cleanOrtMessage('/src/model.cc:202 onnxruntime::Model::Model(a, b) Unsupported model IR version: 14');
 * // → 'Unsupported model IR version: 14'
 */
export function cleanOrtMessage(message: string): string {
  let m = message.trim().replace(/^\[ONNXRuntimeError\] : \d+ : \w+ : /, '');
  let out = '';
  for (let loc = SOURCE_LOCATION.exec(m); loc; loc = SOURCE_LOCATION.exec(m)) {
    out += m.slice(0, loc.index);
    m = skipSignature(m.slice(loc.index + loc[0].length));
    SOURCE_LOCATION.lastIndex = 0;
  }
  return redactPaths((out + m).replace(/\s+/g, ' ').trim());
}

/** `rest` without a leading function signature (up to its balanced closing parenthesis), if it starts with one. */
function skipSignature(rest: string): string {
  const open = rest.indexOf('(');
  if (open <= 0 || !SIGNATURE_HEAD.test(rest.slice(0, open))) return rest;
  let depth = 0;
  for (let i = open; i < rest.length; i++) {
    if (rest[i] === '(') depth++;
    else if (rest[i] === ')' && --depth === 0) return rest.slice(i + 1).replace(/^(?: const)?\s*/, '');
  }
  return rest;
}

function messageOf(err: unknown): string {
  return cleanOrtMessage(err instanceof Error ? err.message : String(err));
}

/** An allocation ORT could not make, as OUT_OF_MEMORY naming the node and size; else null. */
function allocationError(m: string, err: unknown): WorkerError | null {
  const asked = /Failed to allocate memory for requested buffer of size (\d+)/.exec(m)?.[1];
  const capped = /would require more than (\d+) bytes/.exec(m)?.[1];
  if (asked === undefined && capped === undefined && !/bad_alloc|out of memory/i.test(m)) return null;
  const node = /running (\S+) node\. Name:'([^']*)'/.exec(m);
  const where = node ? `node '${node[2]}' (${node[1]})` : 'the model';
  const need =
    asked !== undefined
      ? `asked for ${formatBytes(Number(asked))} (${asked} bytes) in one buffer`
      : capped !== undefined
        ? `needs a tensor over ${formatBytes(Number(capped))} (${capped} bytes), more than ONNX Runtime allows one tensor`
        : 'asked for more than the machine could give';
  return new WorkerError('OUT_OF_MEMORY', `the model needs more memory than the worker can allocate: ${where} ${need}. ${m}`, { cause: err });
}

/** `400 GB`, `1.5 MB`: decimal units, as ORT's byte counts are. */
function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u] ?? ''}`;
}

/** A failure to create a session: the model's fault, unsupported or invalid, or too big for memory. */
export function sessionError(err: unknown): WorkerError {
  const m = messageOf(err);
  const oom = allocationError(m, err);
  if (oom) return oom;
  const opset = /Opset (\d+) is under development.*support for domain (\S+) is till opset (\d+)/.exec(m);
  if (opset) {
    return new ModelError('UNSUPPORTED', `the model imports opset ${opset[1]} of domain ${opset[2]}, newer than this ONNX Runtime knows (opset ${opset[3]} at most); re-export it with an older opset`, { cause: err });
  }
  if (/No Op registered|not a registered function\/op|Could not find an implementation/i.test(m)) {
    const op = /No Op registered for (\S+)/.exec(m)?.[1] ?? /implementation for (\S+)/.exec(m)?.[1];
    return new ModelError('UNSUPPORTED', `the model uses an op ONNX Runtime does not support${op ? ` (${op})` : ''}: ${m}`, { cause: err });
  }
  if (/IR version|opset|domain_version|is under development|not supported/i.test(m)) {
    return new ModelError('UNSUPPORTED', `ONNX Runtime cannot run this model: ${m}`, { cause: err });
  }
  return new ModelError('BAD_MODEL', `ONNX Runtime could not load the model: ${m}`, { cause: err });
}

/** A failure during a run: the input's fault when ORT says so, else the model's. */
export function runError(err: unknown): WorkerError {
  const m = messageOf(err);
  const oom = allocationError(m, err);
  if (oom) return oom;
  if (/input|dimension|rank|data type/i.test(m)) return new WorkerError('BAD_INPUT', `the input does not fit the model: ${m}`, { cause: err });
  return new ModelError('BAD_MODEL', `the model failed while running: ${m}`, { cause: err });
}
