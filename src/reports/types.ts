/**
 * The vocabulary of patch-window reports: what the database yields about one patch run
 * (`PatchRun`), what the report says about each VM (`VmEntry`) and the report itself. Plain
 * data only, so the classification and the renderers are pure functions over it, and the
 * same object is what the PatchWindow task returns as outputs.
 */

/** What happened to a VM in the window. `running` covers runs neither ended nor waiting for a person. */
export const OUTCOMES = ['patched', 'rolled_back', 'failed', 'skipped', 'waiting', 'running'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Values a patch flow may declare in its `result` output (the shipped-flow convention). */
export const DECLARED_RESULTS = ['patched', 'rolled_back', 'failed', 'skipped'] as const;
export type DeclaredResult = (typeof DECLARED_RESULTS)[number];

export interface ApprovalVote {
  user: string;
  decision: string;
  at: string;
}

/** An approval step of the run itself or of the parent that started it as a subflow. */
export interface RunApproval {
  id: string;
  executionId: string;
  /** PENDING, APPROVED, REJECTED, CANCELLED… */
  state: string;
  decidedBy: string | null;
  decidedAt: string | null;
  votes: ApprovalVote[];
  /** The approval request message in Slack, when the notifier posted one. */
  link: string | null;
}

/** One execution that names a VM, with what the report needs from the tables around it. */
export interface PatchRun {
  executionId: string;
  namespace: string;
  flowId: string;
  state: string;
  vm: string;
  /** The flow's `result` output as written (not yet checked). */
  result: unknown;
  createdBy: string;
  parentExecutionId: string | null;
  createdAt: string;
  endedAt: string | null;
  error: string | null;
  /** Approvals of the run, then of its parent (a patch run as a subflow of an orchestration). */
  approvals: RunApproval[];
  /** A RestoreVmSnapshot task of the run succeeded. */
  restored: boolean;
  /** Snapshot (recovery point) assets the run created and deleted. */
  recoveryPoints: { created: string[]; deleted: string[] };
  /** The run's status message in Slack, if any. */
  link: string | null;
}

export interface VmEntry {
  vm: string;
  outcome: Outcome;
  /** The run that decided the outcome: the VM's latest in the window. */
  executionId: string;
  flow: string;
  state: string;
  startedAt: string;
  endedAt: string | null;
  /** Start to end; for runs not ended, start to the report's generation time. */
  durationMs: number | null;
  requestedBy: string;
  /** People who voted to approve (the run's approvals and its parent's), in vote order. */
  approvedBy: string[];
  recoveryPoints: { created: string[]; cleanedUp: string[] };
  /** Runs of this VM in the window (the earlier ones are not in the totals). */
  runs: number;
  link: string | null;
  /** Why it failed, or a note about an unrecognised `result` output. */
  note?: string;
}

export type Totals = Record<Outcome, number> & { vms: number; runs: number; recoveryPointsCreated: number; recoveryPointsCleanedUp: number };

export interface DayCounts {
  /** yyyy-MM-dd in the report's time zone. */
  day: string;
  counts: Record<Outcome, number>;
}

export interface NextWindow {
  /** ISO instant of the next fire, when known. */
  at: string | null;
  /** "At 02:00 on Saturday, Europe/Paris", or the text given in `nextWindow`. */
  description: string;
  /** `namespace.flowId` of the flow whose trigger fires then. */
  flow?: string;
}

export interface ReportWindow {
  since: string;
  until: string;
  /** How `since` was chosen: given, the schedule's previous fire, or the 7-day default. */
  sinceSource: 'given' | 'trigger' | 'default';
}

export interface PatchReport {
  title: string;
  window: ReportWindow;
  timezone: string;
  generatedAt: string;
  totals: Totals;
  /** One entry per VM, grouped by outcome in OUTCOMES order, then by VM name. */
  vms: VmEntry[];
  days: DayCounts[];
  nextWindow: NextWindow | null;
  /** More runs matched than one report reads; the oldest were left out. */
  truncated: boolean;
}

/** Which executions count as patch runs. */
export interface PatchRunFilter {
  since: Date;
  until: Date;
  /** Flow ids or globs over `flowId` or `namespace.flowId`; empty or absent: every flow. */
  flows?: readonly string[];
  /** Only this namespace and its sub-namespaces. */
  namespace?: string;
}

/** A Schedule trigger of a flow the report covers (for the next window). */
export interface ScheduleInfo {
  flow: string;
  triggerId: string;
  cron: string;
  timezone?: string;
  withSeconds?: boolean;
}
