import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, spawnPatchbay, waitForOutput } from '../../support/cli-process.js';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../support/database.js';

/**
 * A real `patchbay worker` process is stopped across several fire times of three every-second
 * triggers and started again: the fires it missed are recovered as each trigger's
 * `recoverMissedSchedules` says — ALL of them, the LAST one, or NONE.
 */
const POLICIES = ['ALL', 'LAST', 'NONE'] as const;
const flow = (policy: string) => `
id: beat-${policy.toLowerCase()}
namespace: restart.sched
tasks:
  - id: beat
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: every-second
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    allowConcurrent: true
    recoverMissedSchedules: ${policy}
`;


describe.runIf(onPostgres())('missed fires across a stopped scheduler process', () => {
  let test: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    test = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-sched-restart-'));
    for (const policy of POLICIES) await writeFile(path.join(dir, `${policy}.yaml`), flow(policy));
  });
  afterAll(async () => {
    await test.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs a worker for `ms` once its scheduler is up; returns each trigger's first regular fire ("next …"). */
  async function runWorker(env: Record<string, string | undefined>, ms: number): Promise<Map<string, number>> {
    const child = spawnPatchbay(['worker'], env);
    const exit = finished(child);
    await Promise.all(POLICIES.map((policy) => waitForOutput(child, new RegExp(`restart\\.sched\\.beat-${policy.toLowerCase()}/every-second next`), 60_000)));
    await new Promise((resolve) => setTimeout(resolve, ms));
    child.kill('SIGTERM');
    const result = await exit;
    expect(result.code, result.stderr).toBe(0);
    const next = [...result.stderr.matchAll(/restart\.sched\.(beat-\w+)\/every-second next (\S+)/g)];
    return new Map(next.map((match) => [match[1]!, Date.parse(match[2]!)]));
  }

  it('recovers ALL, LAST or NONE of the fires it missed', async () => {
    const env = { DATABASE_URL: test.url, PATCHBAY_FLOWS_DIR: dir, PATCHBAY_DATA_DIR: dir };
    await runWorker(env, 2_500);
    const [stopped] = await test.database.rows<{ at: string }>(sql`select max(fire_time) as at from trigger_fires`);
    const lastFire = new Date(stopped!.at).getTime();
    // Down for at least three fire times (plus the next process's start-up).
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const firstRegular = await runWorker(env, 1_500);

    // The fires missed are those after the last one and before the restarted scheduler's first
    // regular fire: everything in between was started by the recovery, or not at all.
    const recovered = async (policy: string): Promise<number[]> => {
      const flowId = `beat-${policy.toLowerCase()}`;
      const before = firstRegular.get(flowId)!;
      expect(before, `${flowId} logged its next fire`).toBeGreaterThan(lastFire);
      const rows = await test.database.rows<{ fire: string; source: string }>(
        sql`select fire_time as fire, source from trigger_fires where flow_id = ${flowId} and fire_time > ${new Date(lastFire).toISOString()} and fire_time < ${new Date(before).toISOString()} order by fire_time`,
      );
      expect(rows.every((row) => row.source === 'recovery'), JSON.stringify(rows)).toBe(true);
      return rows.map((row) => new Date(row.fire).getTime());
    };
    const missedSeconds = (firstRegular.get('beat-all')! - lastFire) / 1000 - 1;
    expect(missedSeconds).toBeGreaterThanOrEqual(3);
    // ALL: every missed second, in order; LAST: only the latest; NONE: none.
    expect(await recovered('ALL')).toEqual(Array.from({ length: missedSeconds }, (_, i) => lastFire + (i + 1) * 1000));
    const last = await recovered('LAST');
    expect(last).toHaveLength(1);
    expect(last[0]).toBe(firstRegular.get('beat-last')! - 1000);
    expect(await recovered('NONE')).toEqual([]);
  }, 120_000);
});
