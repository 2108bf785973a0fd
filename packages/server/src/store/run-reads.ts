/**
 * The reads of runs and models, the same on both stores: runs.ts's steps on the store's connection.
 * @module
 */
import type { KeptAttribution, RunInfo } from '@cnnvis/protocol';
import type { InputThumbnail } from '@cnnvis/worker/pool';
import type {
  AnalysisStore,
  StoredFilter,
  StoredMapRef,
  StoredModel,
  StoredRun,
  StoredRunInput,
} from './analysis-store';
import type { RunFiles } from './run-files';
import * as runs from './runs';
import type { Steps } from './sql-steps';

type Reads = Omit<AnalysisStore, 'saveModel' | 'addAttribution'>;

export abstract class RunReads implements Reads {
  protected constructor(protected readonly runFiles: RunFiles) {}

  /** Run read-only steps, after the writes made so far. */
  protected abstract read<T>(steps: Steps<T>): Promise<T>;

  getModel(id: string): Promise<StoredModel | undefined> {
    return this.read(runs.getModel(id));
  }

  hasRun(runId: string): Promise<boolean> {
    return this.read(runs.hasRun(runId));
  }

  async getMap(runId: string, tensor: string): Promise<StoredMapRef | undefined> {
    const file = this.mapsPath(runId);
    const map = await this.read(runs.getMap(runId, tensor, file));
    return map === undefined ? undefined : { ...map, file };
  }

  getRun(runId: string): Promise<StoredRun | undefined> {
    return this.read(runs.getRun(runId, this.mapsPath(runId)));
  }

  listRuns(env: string, win: string): Promise<RunInfo[]> {
    return this.read(runs.listRuns(env, win));
  }

  getThumbnail(runId: string): Promise<InputThumbnail | undefined> {
    return this.read(runs.getThumbnail(runId));
  }

  mapsPath(runId: string): string {
    return this.runFiles.pathOf(runId);
  }

  async discardRun(runId: string): Promise<void> {
    if (!(await this.hasRun(runId))) this.runFiles.remove(runId);
  }

  getFilter(runId: string, node: string): Promise<StoredFilter | undefined> {
    return this.read(runs.getFilter(runId, node));
  }

  filterNodes(modelId: string): Promise<Set<string>> {
    return this.read(runs.filterNodes(modelId));
  }

  getRunInput(runId: string): Promise<StoredRunInput | undefined> {
    return this.read(runs.getRunInput(runId, this.mapsPath(runId)));
  }

  listAttributions(runId: string): Promise<KeptAttribution[]> {
    return this.read(runs.listAttributions(runId));
  }
}
