import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/database.js';
import { PatchbayService } from '../../../src/service/service.js';
import { finished, spawnPatchbay, waitForOutput } from '../../support/cli-process.js';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../support/database.js';

/**
 * Crash test: a worker process runs executions of a 20-task flow (with a Pause delay in the
 * middle) and is killed with SIGKILL at random moments, at least 20 times. A fresh
 * `patchbay worker --until-idle` then finishes every execution. Each task appends a line to a
 * ledger; a line may repeat only for a task a crash interrupted (at-least-once).
 */
const TASKS = 20;

function flowYaml(ledger: string): string {
  const tasks = [];
  for (let i = 1; i <= TASKS; i += 1) {
    if (i === 10) {
      tasks.push(`  - id: t${i}\n    type: io.kestra.plugin.core.flow.Pause\n    pauseDuration: PT0.5S`);
    } else {
      tasks.push(`  - id: t${i}\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands: ['sleep 0.05; echo "{{ execution.id }} {{ task.id }}" >> ${ledger}']`);
    }
  }
  return `id: crashy\nnamespace: crash\ntasks:\n${tasks.join('\n')}\n`;
}

describe('crash recovery', () => {
  let dir: string;
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-crash-'));
    if (onPostgres()) test = await createTestDatabase();
  });
  afterAll(async () => {
    await test?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes every execution after 20 SIGKILLs, repeating only interrupted tasks', async () => {
    const ledger = path.join(dir, 'ledger.txt');
    const flows = path.join(dir, 'flows');
    await rm(flows, { recursive: true, force: true });
    await mkdir(flows);
    await writeFile(path.join(flows, 'crashy.yaml'), flowYaml(ledger));
    const env = { PATCHBAY_FLOWS_DIR: flows, PATCHBAY_DATA_DIR: path.join(dir, 'data'), PATCHBAY_LEASE_SECONDS: '3', ...(test ? { DATABASE_URL: test.url } : {}) };

    // Create the executions, then hand the database over to the child processes.
    const config = loadConfig(env, dir);
    const database = test?.database ?? (await openDatabase({ dataDir: config.dataDir }));
    const service = await PatchbayService.open({ config, database });
    await service.syncFlows();
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await service.start('crash.crashy', {}, { as: 'test' }));
    if (!test) await database.close();

    let kills = 0;
    while (kills < 20) {
      const child = spawnPatchbay(['worker', '--concurrency', '2'], env);
      const exit = finished(child);
      await waitForOutput(child, /^worker /m);
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 500));
      child.kill('SIGKILL');
      await exit;
      kills += 1;
    }
    const last = await finished(spawnPatchbay(['worker', '--until-idle'], env));
    expect(last.code, last.stderr).toBe(0);

    const check = test?.database ?? (await openDatabase({ dataDir: config.dataDir }));
    const states = await check.rows<{ id: string; state: string }>(sql`select id, state from executions order by id`);
    expect(states.every((row) => row.state === 'SUCCESS'), JSON.stringify(states)).toBe(true);
    const [runs] = await check.rows<{ n: number }>(sql`select count(*)::int as n from task_runs where state = 'SUCCESS'`);
    expect(runs?.n).toBe(ids.length * TASKS);
    if (!test) await check.close();

    const lines = (await readFile(ledger, 'utf8')).trim().split('\n');
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
    for (const id of ids) {
      for (let i = 1; i <= TASKS; i += 1) if (i !== 10) expect(counts.get(`${id} t${i}`) ?? 0, `${id} t${i}`).toBeGreaterThanOrEqual(1);
    }
    const repeats = [...counts.values()].reduce((sum, n) => sum + (n - 1), 0);
    // Each crash interrupts at most the two tasks running at that moment (concurrency 2).
    expect(repeats).toBeLessThanOrEqual(kills * 2);
  }, 600_000);
});
