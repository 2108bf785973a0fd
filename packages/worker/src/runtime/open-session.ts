/**
 * Creating an analysis session: optimizations off (fusion would hide layers), a CUDA session's
 * first run profiled (to learn which nodes fell back to the CPU), the provider as asked.
 * @module
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Provider } from '@cnnvis/protocol';
import { weightsFolderOption } from '../onnx/weights-in-place';
import { redactPaths } from '../redact-paths';
import { WorkerError } from '../worker-error';
import { cleanOrtMessage, sessionError } from './ort-errors';
import { summarizePlacement } from './profile-placement';
import { profileDirPrefix } from './profile-dir';
import { readProfile } from './read-profile';

/** What the caller asks for. */
export type ProviderRequest = 'auto' | 'cuda' | 'cpu';

/** A session and what is known about where it runs. */
export interface RuntimeSession {
  session: ort.InferenceSession;
  /** The provider registered with the session. */
  registered: Provider;
  /** Why CUDA was not registered, in `auto` mode. */
  fallbackNote?: string;
  /** Where the profile goes until the first successful run has been read. */
  profileDir: string | null;
  /** The provider that really ran, once the first run's profile was read. */
  placement: { provider: Provider; note?: string } | null;
  createMs: number;
}

const ORT_LOG_ERRORS_ONLY = 3;

/** The options of every analysis session, and of the bench's floor (bare-run.ts). */
export function analysisSessionOptions(provider: Provider, weightsFolder: string | undefined, profileDir: string | null = null): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'disabled',
    ...(profileDir === null ? {} : { enableProfiling: true, profileFilePrefix: join(profileDir, 'profile') }),
    logSeverityLevel: ORT_LOG_ERRORS_ONLY,
    // Statistics run on this thread right after each run; ORT's pool threads
    // spinning for more work would take the cores they need.
    extra: { session: { intra_op: { allow_spinning: '0' }, ...(weightsFolder === undefined ? {} : weightsFolderOption(weightsFolder)) } },
  };
}

/**
 * Opens a session on model bytes; `weightsFolder` is where the model's file lies when its
 * weights are referenced in place. `auto` tries CUDA first, then the CPU.
 */
export async function openSession(bytes: Uint8Array, provider: ProviderRequest, weightsFolder?: string): Promise<RuntimeSession> {
  const started = performance.now();
  const created = (session: ort.InferenceSession, registered: Provider, profileDir: string | null, fallbackNote?: string): RuntimeSession => ({
    session, registered, profileDir, createMs: performance.now() - started,
    // Only the CPU provider registered: it ran every node, no profile needed to say so.
    placement: profileDir === null ? { provider: 'cpu' } : null,
    ...(fallbackNote !== undefined ? { fallbackNote } : {}),
  });
  let cudaFailure: string | undefined;
  if (provider !== 'cpu') {
    const profileDir = mkdtempSync(join(tmpdir(), profileDirPrefix(process.pid)));
    try {
      return created(await ort.InferenceSession.create(bytes, analysisSessionOptions('cuda', weightsFolder, profileDir)), 'cuda', profileDir);
    } catch (err) {
      rmSync(profileDir, { recursive: true, force: true });
      const reason = cleanOrtMessage(err instanceof Error ? err.message : String(err));
      if (provider === 'cuda') {
        // A CUDA session can also fail for the model's own faults; only blame CUDA when ORT does.
        if (!/cuda|execution provider|shared library|libonnxruntime_providers/i.test(reason)) throw sessionError(err);
        throw new WorkerError('PROVIDER_UNAVAILABLE', `the CUDA execution provider is not available: ${reason}`, { cause: err });
      }
      cudaFailure = `CUDA unavailable: ${reason}`;
    }
  }
  try {
    return created(await ort.InferenceSession.create(bytes, analysisSessionOptions('cpu', weightsFolder)), 'cpu', null, cudaFailure);
  } catch (err) {
    throw sessionError(err);
  }
}

/**
 * After the session's first successful run, reads which provider ran the nodes from its profile.
 * Never throws: an unreadable profile costs the placement, not the job.
 */
export function readPlacement(rs: RuntimeSession): { provider: Provider; note?: string } {
  if (rs.placement) return rs.placement;
  const dir = rs.profileDir;
  if (!dir) return { provider: rs.registered };
  try {
    rs.session.endProfiling();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) {
      rs.placement = { provider: rs.registered, note: 'ONNX Runtime wrote no profile; reporting the registered provider' };
    } else {
      const { placement, partial } = readProfile(join(dir, file));
      const summary = summarizePlacement(placement, rs.registered);
      const note = [summary.note, partial ? "placement read from part of ONNX Runtime's profile (the whole is too large)" : undefined].filter(Boolean).join('; ');
      rs.placement = { provider: summary.provider, ...(note ? { note } : {}) };
    }
  } catch (err) {
    // The note reaches the user: a failed read names the profile's file in the temporary folder.
    const reason = redactPaths(err instanceof Error ? err.message : String(err));
    rs.placement = { provider: rs.registered, note: `ONNX Runtime's profile could not be read (${reason}); reporting the registered provider` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rs.profileDir = null;
  }
  return rs.placement;
}

/** Releases a session's native memory and any profile left behind. */
export async function closeSession(rs: RuntimeSession): Promise<void> {
  if (rs.profileDir) rmSync(rs.profileDir, { recursive: true, force: true });
  await rs.session.release();
}
