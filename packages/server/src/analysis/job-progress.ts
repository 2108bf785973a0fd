/**
 * What the services of worker jobs share: their dependencies (attribution, dataset statistics), and
 * a job's `job:progress` pushes (every job): to the env's room always, and to the requester only
 * for a job it named (an SDK names one only when its caller listens: each push wakes its process
 * while the worker wants the cores).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { JobProgress } from '@cnnvis/protocol';
import type { Broadcaster } from '../broadcaster';
import type { ModelService } from '../models/model-service';
import type { ProviderChoice } from '../options';
import type { RequestContext } from '../request-context';
import type { WindowService } from '../window-service';
import type { JobRunner } from './job-runner';

/** A job service's dependencies; `TJob` names the job runner's call it makes. */
export interface JobServiceDeps<TJob extends keyof JobRunner> {
  models: ModelService;
  provider: ProviderChoice;
  windows: WindowService;
  jobs: Pick<JobRunner, TJob>;
  broadcast: Pick<Broadcaster, 'jobProgress'>;
}

/** Forward passes planned and done. */
export type PassCount = { done: number; total: number };

export function jobProgress(broadcast: Pick<Broadcaster, 'jobProgress'>, ctx: RequestContext, job: { jobId: string | undefined; modelId: string; env: string }) {
  const jobId = job.jobId ?? `job_${randomBytes(6).toString('hex')}`;
  const push = job.jobId !== undefined ? ctx.push : undefined;
  const progress = (stage: string, fraction: number, passes?: PassCount) => {
    const p: JobProgress = { jobId, modelId: job.modelId, env: job.env, stage, fraction: Math.min(1, Math.max(0, fraction)), ...(passes === undefined ? {} : { passes }) };
    broadcast.jobProgress(p, ctx.socketId);
    push?.('job:progress', p);
  };
  return { jobId, progress };
}
