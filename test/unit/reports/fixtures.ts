import type { PatchRun, ReportWindow } from '../../../src/reports/types.js';

/** A patch run as the database would yield it; override what a test is about. */
export function run(overrides: Partial<PatchRun> & Pick<PatchRun, 'vm'>): PatchRun {
  return {
    executionId: `exec-${overrides.vm}`,
    namespace: 'company.ops',
    flowId: 'nutanix-safe-patch',
    state: 'SUCCESS',
    result: undefined,
    createdBy: 'UALICE',
    parentExecutionId: null,
    createdAt: '2026-11-14T01:05:00.000Z',
    endedAt: '2026-11-14T01:17:05.000Z',
    error: null,
    approvals: [],
    restored: false,
    recoveryPoints: { created: [], deleted: [] },
    link: null,
    ...overrides,
  };
}

export const WINDOW: ReportWindow = { since: '2026-11-13T05:00:00.000Z', until: '2026-11-21T05:00:00.000Z', sinceSource: 'trigger' };
export const NOW = new Date('2026-11-21T05:00:00.000Z');
