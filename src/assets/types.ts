/**
 * The asset inventory's vocabulary, shared by the engine hook (record.ts), the asset tasks,
 * the `assets()` expression function, the service and its renderers. Plain data only: the
 * CLI, Slack and the expression layer each present it their own way.
 */

/** Kestra's type for an input that no flow declared as an output yet. */
export const EXTERNAL_TYPE = 'EXTERNAL';
/** Type given to a new output declared without one (Kestra requires a type; we stay lenient). */
export const UNKNOWN_TYPE = 'UNKNOWN';

export const AssetEventKind = { CREATED: 'CREATED', UPDATED: 'UPDATED', USED: 'USED', DELETED: 'DELETED' } as const;
export type AssetEventKind = (typeof AssetEventKind)[keyof typeof AssetEventKind];

/** One declared output, rendered and checked (see declared.ts). */
export interface DeclaredOutput {
  id: string;
  type?: string;
  namespace?: string;
  displayName?: string;
  description?: string;
  metadata?: Record<string, unknown>;
}

/** A task's `assets` property after rendering: what it read and what it created or changed. */
export interface DeclaredAssets {
  inputs: { id: string }[];
  outputs: DeclaredOutput[];
}

/** Who and what touched an asset: stored on the asset (created/last touched) and on each event. */
export interface AssetOrigin {
  executionId: string | null;
  namespace: string | null;
  flowId: string | null;
  taskId: string | null;
  taskRunId: string | null;
  /** The Slack user (or CLI login) who started or approved the run. */
  actor: string;
  /** ISO-8601 timestamp of the change. */
  at: string;
}

/** Origin of a change made inside a task run; what the engine passes to recordTaskAssets. */
export interface TaskAssetOrigin {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  taskRunId: string;
  actor: string;
  at: string;
}

/** What `assets()` returns for each match, and what the asset tasks output. */
export interface AssetSummary {
  id: string;
  namespace: string | null;
  type: string;
  displayName: string | null;
  description: string | null;
  metadata: Record<string, unknown>;
  created: string;
  updated: string;
}

/** An asset with its provenance, as `show` prints it. */
export interface AssetDetail extends AssetSummary {
  deleted: string | null;
  createdBy: AssetOrigin | null;
  updatedBy: AssetOrigin | null;
}

/** An asset reached through lineage, `depth` hops away. */
export interface RelatedAsset {
  id: string;
  type: string;
  namespace: string | null;
  displayName: string | null;
  metadata: Record<string, unknown>;
  depth: number;
  deleted: boolean;
}

export interface AssetEvent {
  id: number;
  assetId: string;
  kind: AssetEventKind;
  at: string;
  actor: string;
  executionId: string | null;
  namespace: string | null;
  flowId: string | null;
  taskId: string | null;
  details: Record<string, unknown>;
}

/** Filter of `assets()`, the List task and `assets list`; every field narrows the result. */
export interface AssetQuery {
  id?: string;
  type?: string;
  namespace?: string;
  /** Each key must hold this value (JSON containment). */
  metadata?: Record<string, unknown>;
}

export interface AssetListFilter {
  /** Any of these types (the List task's `types`); `type` of AssetQuery is one of them. */
  types?: string[];
  namespace?: string;
  metadata?: Record<string, unknown>;
  /** Keys whose value must differ from the one given (the List task's NOT_EQUAL_TO). */
  metadataNot?: Record<string, unknown>;
  /** Case-insensitive substring of the id or display name. */
  text?: string;
  includeDeleted?: boolean;
  /** Page size (default 50, at most 1000). */
  limit?: number;
  /** Keyset cursor: the last id of the previous page. */
  after?: string;
  /** Rows to skip (the List task's numbered pages); prefer `after`, which stays fast on deep pages. */
  offset?: number;
}

export interface AssetPage {
  assets: (AssetSummary & { deleted: string | null })[];
  /** Cursor for the next page (`after`), null on the last page. */
  next: string | null;
}

/** The asset inventory as tasks see it (Kestra's asset Set/List/Delete); backed by the database. */
export interface AssetStore {
  /** Creates or updates one asset (metadata merged), recording the event. */
  set(origin: TaskAssetOrigin, asset: DeclaredOutput): Promise<AssetSummary>;
  list(filter: AssetListFilter): Promise<AssetPage>;
  /** Marks the asset DELETED (history kept): 'deleted', 'already-deleted' or 'missing'. */
  delete(origin: TaskAssetOrigin, id: string): Promise<'deleted' | 'already-deleted' | 'missing'>;
}
