import { describe, expect, it } from 'vitest';
import { approversOf, buildReport, classifyRun, declaredResult } from '../../../src/reports/classify.js';
import type { RunApproval } from '../../../src/reports/types.js';
import { NOW, WINDOW, run } from './fixtures.js';

const approval = (overrides: Partial<RunApproval>): RunApproval => ({
  id: 'a1', executionId: 'exec-web-01', state: 'PENDING', decidedBy: null, decidedAt: null, votes: [], link: null, ...overrides,
});

describe('classifyRun', () => {
  it('trusts a declared result over the execution state', () => {
    expect(classifyRun(run({ vm: 'a', state: 'FAILED', result: 'rolled_back' })).outcome).toBe('rolled_back');
    expect(classifyRun(run({ vm: 'a', state: 'SUCCESS', result: 'skipped' })).outcome).toBe('skipped');
    expect(classifyRun(run({ vm: 'a', state: 'SUCCESS', result: 'Rolled back' })).outcome).toBe('rolled_back');
    expect(classifyRun(run({ vm: 'a', state: 'FAILED', result: 'PATCHED' })).outcome).toBe('patched');
  });

  it('infers from the state when result is missing', () => {
    expect(classifyRun(run({ vm: 'a', state: 'SUCCESS' })).outcome).toBe('patched');
    expect(classifyRun(run({ vm: 'a', state: 'WARNING' })).outcome).toBe('patched');
    expect(classifyRun(run({ vm: 'a', state: 'FAILED' })).outcome).toBe('failed');
    expect(classifyRun(run({ vm: 'a', state: 'KILLED' })).outcome).toBe('failed');
    expect(classifyRun(run({ vm: 'a', state: 'RUNNING', endedAt: null })).outcome).toBe('running');
    expect(classifyRun(run({ vm: 'a', state: 'KILLING', endedAt: null })).outcome).toBe('running');
  });

  it('a failed run whose RestoreVmSnapshot succeeded was rolled back; so was a successful one', () => {
    expect(classifyRun(run({ vm: 'a', state: 'FAILED', restored: true })).outcome).toBe('rolled_back');
    expect(classifyRun(run({ vm: 'a', state: 'KILLED', restored: true })).outcome).toBe('rolled_back');
    expect(classifyRun(run({ vm: 'a', state: 'SUCCESS', restored: true })).outcome).toBe('rolled_back');
    // Not ended: the restore may still be followed by more work.
    expect(classifyRun(run({ vm: 'a', state: 'RUNNING', restored: true })).outcome).toBe('running');
  });

  it('PAUSED waits for approval only with a pending approval of its own', () => {
    const own = approval({ executionId: 'exec-a' });
    expect(classifyRun(run({ vm: 'a', state: 'PAUSED', approvals: [own] })).outcome).toBe('waiting');
    expect(classifyRun(run({ vm: 'a', state: 'PAUSED', approvals: [] })).outcome).toBe('running');
    expect(classifyRun(run({ vm: 'a', state: 'PAUSED', approvals: [{ ...own, state: 'APPROVED' }] })).outcome).toBe('running');
    // The parent's pending approval does not make the child wait.
    expect(classifyRun(run({ vm: 'a', state: 'PAUSED', approvals: [{ ...own, executionId: 'parent' }] })).outcome).toBe('running');
  });

  it('notes an unrecognised result and falls back to inference', () => {
    const { outcome, note } = classifyRun(run({ vm: 'a', state: 'SUCCESS', result: 'ok' }));
    expect(outcome).toBe('patched');
    expect(note).toContain('"ok" is not one of patched, rolled_back, failed, skipped');
    expect(declaredResult(42)).toBeUndefined();
  });
});

describe('approversOf', () => {
  it('lists approving voters of the run then of its parent, once each, in vote order', () => {
    const r = run({
      vm: 'a',
      executionId: 'child',
      approvals: [
        approval({ id: 'p', executionId: 'parent', state: 'APPROVED', votes: [{ user: 'UCAROL', decision: 'APPROVE', at: '2026-11-14T00:01:00Z' }] }),
        approval({
          id: 'c', executionId: 'child', state: 'APPROVED',
          votes: [
            { user: 'UBOB', decision: 'APPROVE', at: '2026-11-14T01:02:00Z' },
            { user: 'UDAN', decision: 'REJECT', at: '2026-11-14T01:01:00Z' },
            { user: 'UCAROL', decision: 'APPROVE', at: '2026-11-14T01:03:00Z' },
          ],
        }),
      ],
    });
    expect(approversOf(r)).toEqual(['UBOB', 'UCAROL']);
  });

  it('counts the decider of an approval approved without votes', () => {
    expect(approversOf(run({ vm: 'a', approvals: [approval({ state: 'APPROVED', decidedBy: 'UERIN' })] }))).toEqual(['UERIN']);
  });
});

describe('buildReport', () => {
  const options = { title: 'Patch window report', window: WINDOW, timezone: 'Europe/Paris', now: NOW, nextWindow: null };

  it('reports each VM by its latest run, with totals, durations and recovery points over all its runs', () => {
    const report = buildReport([
      run({ vm: 'web-02', state: 'FAILED', createdAt: '2026-11-14T01:00:00.000Z', endedAt: '2026-11-14T01:10:00.000Z', executionId: 'e1', recoveryPoints: { created: ['rp-1'], deleted: [] } }),
      run({ vm: 'web-02', state: 'SUCCESS', createdAt: '2026-11-15T01:00:00.000Z', endedAt: '2026-11-15T01:05:00.000Z', executionId: 'e2', recoveryPoints: { created: ['rp-2'], deleted: ['rp-2'] } }),
      run({ vm: 'web-10', state: 'FAILED', result: 'rolled_back', error: 'task `health` failed: 500' }),
      run({ vm: 'web-3', state: 'PAUSED', endedAt: null, createdAt: '2026-11-20T05:00:00.000Z', approvals: [approval({ executionId: 'exec-web-3', link: 'https://x.slack.com/archives/C1/p1' })] }),
    ], options);
    expect(report.vms.map((v) => [v.vm, v.outcome])).toEqual([['web-02', 'patched'], ['web-10', 'rolled_back'], ['web-3', 'waiting']]);
    expect(report.totals).toMatchObject({ patched: 1, rolled_back: 1, waiting: 1, failed: 0, vms: 3, runs: 4, recoveryPointsCreated: 2, recoveryPointsCleanedUp: 1 });
    const web02 = report.vms[0]!;
    expect(web02).toMatchObject({ executionId: 'e2', runs: 2, durationMs: 5 * 60_000, recoveryPoints: { created: ['rp-1', 'rp-2'], cleanedUp: ['rp-2'] } });
    expect(report.vms[1]!.note).toBe('task `health` failed: 500');
    // Not ended: measured to the report's time, linked to its pending approval.
    expect(report.vms[2]).toMatchObject({ durationMs: 24 * 3600_000, link: 'https://x.slack.com/archives/C1/p1' });
  });

  it('counts VMs per day in the report time zone, every day of the window present', () => {
    const report = buildReport([
      run({ vm: 'a', createdAt: '2026-11-13T23:30:00.000Z' }), // 14 Nov 00:30 in Paris
      run({ vm: 'b', state: 'FAILED', createdAt: '2026-11-14T10:00:00.000Z' }),
      // Waiting since before the window: drawn on its first day.
      run({ vm: 'c', state: 'PAUSED', createdAt: '2026-11-01T10:00:00.000Z', endedAt: null, approvals: [approval({ executionId: 'exec-c' })] }),
    ], options);
    expect(report.days.map((d) => d.day)).toEqual(['2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21']);
    expect(report.days[0]!.counts.waiting).toBe(1);
    expect(report.days[1]!.counts).toMatchObject({ patched: 1, failed: 1 });
    const sum = report.days.reduce((n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0), 0);
    expect(sum).toBe(report.totals.vms);
  });

  it('an empty window is a report with zero totals', () => {
    const report = buildReport([], options);
    expect(report.totals.vms).toBe(0);
    expect(report.vms).toEqual([]);
  });
});
