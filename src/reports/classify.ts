import { dayOf, daysOf } from './window.js';
import {
  DECLARED_RESULTS,
  type DayCounts,
  type DeclaredResult,
  type NextWindow,
  OUTCOMES,
  type Outcome,
  type PatchReport,
  type PatchRun,
  type ReportWindow,
  type Totals,
  type VmEntry,
} from './types.js';

/**
 * From patch runs to the report: pure, so every rule below has a unit test.
 *
 * A run's outcome is the `result` output its flow declared (patched | rolled_back | failed |
 * skipped). Without one it is inferred from the execution:
 * - PAUSED with a pending approval of its own → waiting (for approval);
 * - ended and a RestoreVmSnapshot task succeeded in it → rolled_back (whatever the end state:
 *   a flow that restored the VM and then ended SUCCESS did not patch it);
 * - FAILED or KILLED → failed; SUCCESS or WARNING → patched;
 * - anything else (CREATED, RUNNING, KILLING, PAUSED on a plain Pause or delay) → running.
 * A VM patched several times in the window is reported by its latest run; recovery points
 * count over all of its runs (a snapshot left behind by an earlier attempt still matters).
 */
const ENDED_FAILED = new Set(['FAILED', 'KILLED']);
const ENDED_OK = new Set(['SUCCESS', 'WARNING']);

/** `"Rolled back"`, `rolled-back`, `ROLLED_BACK` all read as rolled_back; anything else is undefined. */
export function declaredResult(value: unknown): DeclaredResult | undefined {
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (DECLARED_RESULTS as readonly string[]).includes(word) ? (word as DeclaredResult) : undefined;
}

export function classifyRun(run: PatchRun): { outcome: Outcome; note?: string } {
  const declared = declaredResult(run.result);
  if (declared) return { outcome: declared };
  const note = run.result === undefined || run.result === null ? undefined : `result output ${JSON.stringify(run.result)} is not one of ${DECLARED_RESULTS.join(', ')}`;
  const withNote = (outcome: Outcome) => (note ? { outcome, note } : { outcome });
  if (run.state === 'PAUSED') {
    const pending = run.approvals.some((a) => a.executionId === run.executionId && a.state === 'PENDING');
    return withNote(pending ? 'waiting' : 'running');
  }
  const ended = ENDED_FAILED.has(run.state) || ENDED_OK.has(run.state);
  if (ended && run.restored) return withNote('rolled_back');
  if (ENDED_FAILED.has(run.state)) return withNote('failed');
  if (ENDED_OK.has(run.state)) return withNote('patched');
  return withNote('running');
}

/** People who voted to approve, the run's approvals first then its parent's; a decider without a vote counts too. */
export function approversOf(run: PatchRun): string[] {
  const people: string[] = [];
  const add = (user: string | null) => {
    if (user && !people.includes(user)) people.push(user);
  };
  const ordered = [...run.approvals].sort((a, b) => Number(a.executionId !== run.executionId) - Number(b.executionId !== run.executionId));
  for (const approval of ordered) {
    for (const vote of [...approval.votes].sort((a, b) => a.at.localeCompare(b.at))) if (vote.decision === 'APPROVE') add(vote.user);
    if (approval.state === 'APPROVED' && approval.votes.length === 0) add(approval.decidedBy);
  }
  return people;
}

const zero = (): Record<Outcome, number> => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
const union = (lists: string[][]): string[] => [...new Set(lists.flat())];

function entryFor(runs: PatchRun[], now: Date): VmEntry {
  const sorted = [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.executionId.localeCompare(b.executionId));
  const latest = sorted.at(-1) as PatchRun;
  const { outcome, note } = classifyRun(latest);
  const start = Date.parse(latest.createdAt);
  const end = latest.endedAt ? Date.parse(latest.endedAt) : now.getTime();
  const pendingLink = latest.approvals.find((a) => a.state === 'PENDING' && a.link)?.link ?? null;
  const failure = outcome === 'failed' || outcome === 'rolled_back' ? latest.error : null;
  const entry: VmEntry = {
    vm: latest.vm,
    outcome,
    executionId: latest.executionId,
    flow: `${latest.namespace}.${latest.flowId}`,
    state: latest.state,
    startedAt: latest.createdAt,
    endedAt: latest.endedAt,
    durationMs: Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, end - start),
    requestedBy: latest.createdBy,
    approvedBy: approversOf(latest),
    recoveryPoints: {
      created: union(sorted.map((r) => r.recoveryPoints.created)),
      cleanedUp: union(sorted.map((r) => r.recoveryPoints.deleted)),
    },
    runs: sorted.length,
    link: (outcome === 'waiting' ? pendingLink : null) ?? latest.link,
  };
  const why = note ?? (failure ? failure : undefined);
  if (why) entry.note = why.length > 300 ? `${why.slice(0, 299)}…` : why;
  return entry;
}

export interface BuildOptions {
  title: string;
  window: ReportWindow;
  timezone: string;
  now: Date;
  nextWindow: NextWindow | null;
  truncated?: boolean;
}

export function buildReport(runs: readonly PatchRun[], options: BuildOptions): PatchReport {
  const byVm = new Map<string, PatchRun[]>();
  for (const run of runs) byVm.set(run.vm, [...(byVm.get(run.vm) ?? []), run]);
  const rank = (o: Outcome) => OUTCOMES.indexOf(o);
  const vms = [...byVm.values()]
    .map((list) => entryFor(list, options.now))
    .sort((a, b) => rank(a.outcome) - rank(b.outcome) || a.vm.localeCompare(b.vm, 'en', { numeric: true }));

  const totals: Totals = { ...zero(), vms: vms.length, runs: runs.length, recoveryPointsCreated: 0, recoveryPointsCleanedUp: 0 };
  for (const entry of vms) {
    totals[entry.outcome] += 1;
    totals.recoveryPointsCreated += entry.recoveryPoints.created.length;
    totals.recoveryPointsCleanedUp += entry.recoveryPoints.cleanedUp.length;
  }

  const days: DayCounts[] = daysOf(options.window, options.timezone).map((day) => ({ day, counts: zero() }));
  const byDay = new Map(days.map((d) => [d.day, d]));
  for (const entry of vms) {
    // A run still waiting from before the window is drawn on the window's first day.
    const at = entry.startedAt < options.window.since ? options.window.since : entry.startedAt;
    const bucket = byDay.get(dayOf(at, options.timezone));
    if (bucket) bucket.counts[entry.outcome] += 1;
  }

  return {
    title: options.title,
    window: options.window,
    timezone: options.timezone,
    generatedAt: options.now.toISOString(),
    totals,
    vms,
    days,
    nextWindow: options.nextWindow,
    truncated: options.truncated ?? false,
  };
}
