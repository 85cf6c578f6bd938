import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, PatchbayError } from '../errors.js';
import type { TaskRecord } from './task-work.js';
import type { Category, Cluster, RecoveryPointRecord, VmRecord } from './types.js';

/**
 * Everything the simulator remembers, as one JSON document. With a state file every change is
 * written atomically (temp file + rename): a crash leaves the previous or the new state, never
 * half of one. The document is small (tens of entities), so writing it whole is cheap.
 */

export interface StoredResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
  time: string;
}

export interface SimStateData {
  version: 1;
  credentials: { apiKey: string; username: string; password: string; guestPassword: string };
  /** The main cluster first, then the DR cluster. */
  clusters: Cluster[];
  vms: VmRecord[];
  recoveryPoints: RecoveryPointRecord[];
  categories: Category[];
  tasks: TaskRecord[];
  /** NTNX-Request-Id → the response given the first time (replayed as is). */
  requests: Record<string, StoredResponse>;
}

/** Bounds on history kept: finished tasks and request ids beyond these are forgotten, oldest first. */
const MAX_FINISHED_TASKS = 2000;
const MAX_REQUEST_IDS = 5000;

export function newCredentials(): SimStateData['credentials'] {
  return {
    apiKey: `sim-${randomBytes(18).toString('base64url')}`,
    username: 'admin',
    password: randomBytes(12).toString('base64url'),
    // The guests' SSH login, kept so flows' secrets stay valid across restarts.
    guestPassword: randomBytes(12).toString('base64url'),
  };
}

export class StateStore {
  private constructor(
    readonly data: SimStateData,
    private readonly file: string | undefined,
    /** True when no saved state existed (the caller seeds it). */
    readonly fresh: boolean,
  ) {}

  static open(file: string | undefined, initial: () => SimStateData): StateStore {
    if (!file || !existsSync(file)) {
      const store = new StateStore(initial(), file, true);
      store.save();
      return store;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new PatchbayError(ErrorCode.CONFIG_INVALID, `simulator state ${file} is not valid JSON (${(error as Error).message}); move it away to start afresh`, { cause: error });
    }
    const data = parsed as Partial<SimStateData>;
    if (data?.version !== 1 || !Array.isArray(data.vms) || !Array.isArray(data.clusters) || data.clusters.length < 2 || !data.credentials) {
      throw new PatchbayError(ErrorCode.CONFIG_INVALID, `simulator state ${file} is not a version 1 simulator state; move it away to start afresh`);
    }
    const complete: SimStateData = { recoveryPoints: [], categories: [], tasks: [], requests: {}, ...data } as SimStateData;
    return new StateStore(complete, file, false);
  }

  save(): void {
    this.prune();
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 1)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }

  private prune(): void {
    const finished = this.data.tasks.filter((record) => ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(record.task.status));
    if (finished.length > MAX_FINISHED_TASKS) {
      const drop = new Set(finished.slice(0, finished.length - MAX_FINISHED_TASKS));
      this.data.tasks = this.data.tasks.filter((record) => !drop.has(record));
    }
    const ids = Object.keys(this.data.requests);
    if (ids.length > MAX_REQUEST_IDS) {
      for (const id of ids.slice(0, ids.length - MAX_REQUEST_IDS)) delete this.data.requests[id];
    }
  }

  vm(extId: string): VmRecord | undefined {
    return this.data.vms.find((record) => record.vm.extId === extId);
  }

  recoveryPoint(extId: string): RecoveryPointRecord | undefined {
    return this.data.recoveryPoints.find((record) => record.rp.extId === extId);
  }

  category(extId: string): Category | undefined {
    return this.data.categories.find((category) => category.extId === extId);
  }

  cluster(extId: string): Cluster | undefined {
    return this.data.clusters.find((cluster) => cluster.extId === extId);
  }

  task(extId: string): TaskRecord | undefined {
    return this.data.tasks.find((record) => record.task.extId === extId);
  }
}
