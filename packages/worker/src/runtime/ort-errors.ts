/**
 * ONNX Runtime's errors as WorkerErrors. Its messages are good but often
 * start with a C++ source location and function signature, which name
 * nothing a user can act on, so those are cut.
 * @module
 */
import { ModelError, WorkerError } from '../worker-error';

/**
 * ORT's message without a leading `file.cc:123 ns::fn(args) ` or `[ONNXRuntimeError] : 1 : FAIL : `.
 * @example
 * cleanOrtMessage('/src/model.cc:202 onnxruntime::Model::Model(a, b) Unsupported model IR version: 14');
 * // → 'Unsupported model IR version: 14'
 */
export function cleanOrtMessage(message: string): string {
  let m = message.trim().replace(/^\[ONNXRuntimeError\] : \d+ : \w+ : /, '');
  const loc = /^\S+\.(?:cc|cpp|h):\d+ /.exec(m);
  if (loc) {
    m = m.slice(loc[0].length);
    const open = m.indexOf('(');
    // The function signature: a token with '::' up to its balanced closing parenthesis.
    if (open > 0 && m.slice(0, open).includes('::') && !m.slice(0, open).includes(' ')) {
      let depth = 0;
      for (let i = open; i < m.length; i++) {
        if (m[i] === '(') depth++;
        else if (m[i] === ')' && --depth === 0) {
          m = m.slice(i + 1).replace(/^(?: const)?\s*/, '');
          break;
        }
      }
    }
  }
  return m.replace(/\s+/g, ' ').trim();
}

function messageOf(err: unknown): string {
  return cleanOrtMessage(err instanceof Error ? err.message : String(err));
}

/** A failure to create a session: the model's fault, unsupported or invalid. */
export function sessionError(err: unknown): ModelError {
  const m = messageOf(err);
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
  if (/input|dimension|rank|data type/i.test(m)) return new WorkerError('BAD_INPUT', `the input does not fit the model: ${m}`, { cause: err });
  return new ModelError('BAD_MODEL', `the model failed while running: ${m}`, { cause: err });
}
