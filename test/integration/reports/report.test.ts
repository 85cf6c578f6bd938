import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatRegistry } from '../../../src/chat/families.js';
import type { ChatReply } from '../../../src/chat/types.js';
import { collectPatchReport } from '../../../src/reports/build.js';
import { PNG_SIGNATURE } from '../../../src/render/svg-png.js';
import { blocksToText } from '../../../src/slack/blocks/blocks-to-text.js';
import { readPatchRuns } from '../../../src/reports/queries.js';
import { DatabaseReportSource } from '../../../src/reports/source.js';
import type { PatchReport } from '../../../src/reports/types.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { NO_VM, ORCHESTRATION, OTHER_NAMESPACE, PATCH_GATED, PATCH_OK, PATCH_ROLLBACK, REPORT_TASK, SCHEDULED } from './flows.js';

/**
 * Report data over real executions run by the engine (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL): outcomes, approvers (own and parent's), recovery points from the asset
 * tables, the window and filters, the next window from a Schedule trigger, and the task.
 */
describe('patch-window report over real executions', () => {
  let t: TestEngine;
  const ids: Record<string, string> = {};
  let source: DatabaseReportSource;
  const report = (request: Parameters<typeof collectPatchReport>[1] = {}): Promise<PatchReport> => collectPatchReport(source, request, new Date());

  beforeAll(async () => {
    t = await createTestEngine();
    await t.load(PATCH_OK, PATCH_ROLLBACK, PATCH_GATED, ORCHESTRATION, NO_VM, OTHER_NAMESPACE, SCHEDULED, REPORT_TASK);
    source = new DatabaseReportSource(t.service.database, t.service.flows);
    const ok = await t.run('company.ops.patch-ok', { vm: 'web-01' });
    const rollback = await t.run('company.ops.patch-rollback', { vm: 'db-01' });
    const waiting = await t.run('company.ops.patch-gated', { vm: 'web-02' });
    const approved = await t.run('company.ops.patch-gated', { vm: 'web-03' });
    await t.service.decide({ executionId: approved.id, actor: 'UBOB', approve: true });
    const orchestration = await t.run('company.ops.patch-orchestration', { target: 'app-01' });
    await t.service.decide({ executionId: orchestration.id, actor: 'UCAROL', approve: true });
    await t.run('company.ops.housekeeping');
    await t.run('lab.ops.patch-ok', { vm: 'lab-01' });
    Object.assign(ids, { ok: ok.id, rollback: rollback.id, waiting: waiting.id, approved: approved.id, orchestration: orchestration.id });
    expect([ok.state, rollback.state, waiting.state]).toEqual(['SUCCESS', 'FAILED', 'PAUSED']);
    expect((await t.service.settle(approved.id, 50)).state).toBe('SUCCESS');
    expect((await t.service.settle(orchestration.id, 50)).state).toBe('SUCCESS');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('classifies each VM and counts the totals', async () => {
    const r = await report({ namespace: 'company.ops' });
    expect(r.vms.map((v) => [v.vm, v.outcome])).toEqual([
      ['app-01-child', 'patched'],
      ['web-01', 'patched'],
      ['web-03', 'patched'],
      ['db-01', 'rolled_back'],
      ['web-02', 'waiting'],
    ]);
    expect(r.totals).toMatchObject({ patched: 3, rolled_back: 1, waiting: 1, failed: 0, vms: 5, runs: 5 });
    expect(r.window.sinceSource).toBe('default');
    const rollback = r.vms.find((v) => v.vm === 'db-01')!;
    expect(rollback).toMatchObject({ executionId: ids.rollback, state: 'FAILED', flow: 'company.ops.patch-rollback' });
    expect(rollback.note).toContain('health check failed on db-01');
    expect(r.vms.find((v) => v.vm === 'web-02')).toMatchObject({ endedAt: null, requestedBy: 'alice', approvedBy: [] });
  });

  it('names approvers from the run and from the parent that ran it as a subflow', async () => {
    const r = await report({ namespace: 'company.ops' });
    expect(r.vms.find((v) => v.vm === 'web-03')!.approvedBy).toEqual(['UBOB']);
    expect(r.vms.find((v) => v.vm === 'app-01-child')!.approvedBy).toEqual(['UCAROL']);
  });

  it('reads recovery points created and deleted by each run from the asset tables', async () => {
    const r = await report({ namespace: 'company.ops' });
    const ok = r.vms.find((v) => v.vm === 'web-01')!;
    expect(ok.recoveryPoints).toEqual({ created: [`rp-web-01-${ids.ok}`], cleanedUp: [`rp-web-01-${ids.ok}`] });
    expect(r.vms.find((v) => v.vm === 'db-01')!.recoveryPoints).toEqual({ created: [`rp-db-01-${ids.rollback}`], cleanedUp: [] });
    expect(r.totals).toMatchObject({ recoveryPointsCreated: 3, recoveryPointsCleanedUp: 2 });
  });

  it('filters by flow globs and namespace; a VM-less flow is never a patch run', async () => {
    const all = await report();
    expect(all.vms.map((v) => v.vm)).toContain('lab-01');
    expect(all.vms.map((v) => v.vm)).not.toContain(undefined);
    expect((await report({ flows: ['patch-ok'] })).vms.map((v) => v.vm)).toEqual(['app-01-child', 'lab-01', 'web-01']);
    expect((await report({ flows: ['company.ops.patch-r*', 'patch-gated'] })).vms.map((v) => v.vm)).toEqual(['web-03', 'db-01', 'web-02']);
    expect((await report({ flows: ['housekeeping'] })).vms).toEqual([]);
    expect((await report({ namespace: 'lab' })).vms.map((v) => v.vm)).toEqual(['lab-01']);
  });

  it('keeps the window: older runs drop out, a run still waiting from before it stays', async () => {
    await t.service.database.rows(sql`update executions set created_at = now() - interval '10 days' where id in (${ids.ok}, ${ids.waiting})`);
    try {
      const r = await report({ namespace: 'company.ops' });
      expect(r.vms.map((v) => v.vm)).not.toContain('web-01');
      expect(r.vms.find((v) => v.vm === 'web-02')?.outcome).toBe('waiting');
      const older = await report({ namespace: 'company.ops', since: 'P30D', until: 'P9D' });
      expect(older.vms.map((v) => v.vm)).toEqual(['web-01', 'web-02']);
      // Limits cut the oldest runs and say so.
      const cut = await readPatchRuns(t.service.database, { since: new Date(Date.now() - 30 * 86_400_000), until: new Date(Date.now() + 1000), namespace: 'company.ops' }, 2);
      expect(cut.truncated).toBe(true);
      expect(cut.runs).toHaveLength(2);
    } finally {
      await t.service.database.rows(sql`update executions set created_at = now() where id in (${ids.ok}, ${ids.waiting})`);
    }
  });

  it('gives the next window from the patch flows\' Schedule triggers, in their zone', async () => {
    const r = await report({ namespace: 'company.ops' });
    expect(r.nextWindow).toMatchObject({ description: 'At 02:00 on Saturday, Europe/Paris', flow: 'company.ops.patch-saturday' });
    expect(new Date(r.nextWindow!.at!).getUTCDay()).toBe(6);
    expect(r.timezone).toBe('Europe/Paris');
    expect((await report({ flows: ['patch-ok'] })).nextWindow).toBeNull();
    expect((await report({ nextWindow: 'after the freeze' })).nextWindow).toEqual({ at: null, description: 'after the freeze' });
  });

  it('runs as a task: outputs the report, and without a chat configured only warns about the channel', async () => {
    const quiet = await t.run('company.reports.report-now');
    expect(quiet.state).toBe('SUCCESS');
    const outputs = quiet.taskRuns.find((r) => r.taskId === 'report')!.outputs as Record<string, unknown>;
    expect(outputs.totals).toMatchObject({ patched: 3, rolled_back: 1, waiting: 1, vms: 5 });
    expect(outputs.markdown).toContain('## Rolled back (1)');
    expect(outputs.window).toMatchObject({ sinceSource: 'given' });
    expect(outputs.posted).toBeUndefined();

    const withChannel = await t.run('company.reports.report-now', { channel: '#patching' });
    expect(withChannel.state).toBe('SUCCESS');
    const logs = await t.service.logs(withChannel.id);
    expect(logs.some((l) => l.level === 'WARN' && l.message.includes('not posted to #patching'))).toBe(true);
  });

  it('/flow report in the shell: the Markdown report, and the chart as a file', async () => {
    const registry = createChatRegistry({ onError: (error) => { throw error; } });
    const ask = (text: string): Promise<ChatReply> =>
      registry.dispatch({ family: 'flow', text, actor: { id: 'alice' }, channel: 'shell', surface: 'shell' }, { service: t.service });
    const reply = await ask('report 2d namespace=company.ops');
    expect(reply.kind).toBe('file');
    if (reply.kind !== 'file') return;
    const text = blocksToText(reply.message.blocks);
    expect(text).toContain('# Patch window report');
    expect(text).toContain('**5 VMs**: 3 patched, 1 rolled back, 1 waiting for approval');
    expect(text).toContain('| db-01 |');
    expect(Buffer.from(reply.content).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const bad = await ask('report yesterday');
    expect(bad.kind).toBe('private');
    expect(blocksToText(bad.kind === 'private' ? bad.message.blocks : [])).toContain('`since`: "yesterday" is neither an ISO-8601 instant');
  });
});
