/**
 * Analysis jobs in flight, from `job:progress` pushes (a script's jobs show too) and this
 * page's uploads.
 * @module
 */
import type { JobProgress } from '@cnnvis/protocol';

export interface Job {
  jobId: string;
  modelId: string;
  stage: string;
  fraction: number;
  /** When the last push arrived (ms since epoch), to drop jobs that went silent. */
  at: number;
}

export interface JobTracker {
  update(progress: Pick<JobProgress, 'jobId' | 'modelId' | 'stage' | 'fraction'>): void;
  /** The job ended (its ack came back, or it failed). */
  finish(jobId: string): void;
  /** Running jobs, optionally only those of one model. */
  active(modelId?: string): Job[];
  /** Called after every change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** A job whose pushes stop (its socket dropped, the server restarted) is forgotten after this. */
export const STALE_MS = 120_000;

/**
 * @example
 * const jobs = createJobTracker();
 * client listener: 'job:progress': (p) => jobs.update(p)
 */
export function createJobTracker(now: () => number = Date.now): JobTracker {
  const jobs = new Map<string, Job>();
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((l) => l());
  return {
    update({ jobId, modelId, stage, fraction }) {
      if (stage === 'done') jobs.delete(jobId);
      else jobs.set(jobId, { jobId, modelId, stage, fraction, at: now() });
      emit();
    },
    finish(jobId) {
      if (jobs.delete(jobId)) emit();
    },
    active(modelId) {
      const t = now();
      for (const [id, job] of jobs) if (t - job.at > STALE_MS) jobs.delete(id);
      return [...jobs.values()].filter((j) => modelId === undefined || j.modelId === modelId);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
