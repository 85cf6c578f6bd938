import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../unit/cli/run-cli.js';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../support/database.js';

/** The CLI contract of the engine: run / resume / kill / executions, their output and exit codes. */
const flow = `
id: gate
namespace: cli.test
inputs:
  - id: vm
    type: STRING
tasks:
  - id: hello
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.vm }}"
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    assignment:
      users: [bob]
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: "patched {{ inputs.vm }}"
`;

describe('patchbay run / resume / executions', () => {
  let dir: string;
  let test: TestDatabase | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-cli-'));
    await writeFile(path.join(dir, 'gate.yaml'), flow);
    if (onPostgres()) test = await createTestDatabase();
    env = { PATCHBAY_FLOWS_DIR: dir, PATCHBAY_DATA_DIR: path.join(dir, 'data'), ...(test?.url ? { DATABASE_URL: test.url } : {}) };
    // The test's own handle must not hold the embedded database the CLI opens.
    if (test) await test.database.close().catch(() => undefined);
  });
  afterAll(async () => {
    await test?.drop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 2 without creating anything when a required input is missing', async () => {
    const result = await cli(['run', 'gate'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/vm.*required/);
    const list = await cli(['executions', 'list', '--json'], { cwd: dir, env });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('runs until the approval, then resumes to SUCCESS with --json output', async () => {
    const paused = await cli(['run', 'gate', 'vm=web-01', '--json', '--as', 'alice'], { cwd: dir, env });
    expect(paused.code).toBe(0);
    const view = JSON.parse(paused.stdout);
    expect(view).toMatchObject({ namespace: 'cli.test', flowId: 'gate', state: 'PAUSED', inputs: { vm: 'web-01' } });
    expect(view.taskRuns[0]).toMatchObject({ taskId: 'hello', state: 'SUCCESS', attempts: 1, outputs: { value: 'web-01' } });

    const outsider = await cli(['resume', view.id, '--approve', '--as', 'mallory'], { cwd: dir, env });
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toMatch(/mallory is not an assignee/);

    const resumed = await cli(['resume', view.id, '--approve', '--as', 'bob', '--json'], { cwd: dir, env });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).state).toBe('SUCCESS');
    const logs = await cli(['executions', 'logs', view.id], { cwd: dir, env });
    expect(logs.stdout).toMatch(/INFO  done: patched web-01/);
  });

  it('ends FAILED with exit 1 on rejection', async () => {
    const paused = await cli(['run', 'gate', 'vm=web-02', '--json', '--as', 'alice'], { cwd: dir, env });
    const { id } = JSON.parse(paused.stdout);
    const rejected = await cli(['resume', id, '--reject', '--reason', 'freeze', '--as', 'bob'], { cwd: dir, env });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(/rejected by bob: freeze/);
  });

  it('kills a paused execution', async () => {
    const paused = await cli(['run', 'gate', 'vm=web-03', '--json', '--as', 'alice'], { cwd: dir, env });
    const { id } = JSON.parse(paused.stdout);
    const killed = await cli(['kill', id, '--json'], { cwd: dir, env });
    expect(killed.code).toBe(0);
    expect(JSON.parse(killed.stdout).state).toBe('KILLED');
  });
});
