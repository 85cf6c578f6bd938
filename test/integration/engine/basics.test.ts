import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/database.js';
import { parseFlowSource } from '../../../src/flow/loader.js';
import { PatchbayService } from '../../../src/service/service.js';
import { createTestDatabase, onPostgres } from '../../support/database.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';

/** End-to-end runs through the database, the planner and the worker (PGlite, or PostgreSQL in CI). */
const hello = `
id: hello
namespace: company.ops
inputs:
  - id: vm
    type: STRING
  - id: n
    type: INT
    defaults: 2
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.vm }}"
  - id: slug
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.vm | slugify }}-{{ inputs.n * 2 }}"
outputs:
  - id: slug
    type: STRING
    value: "{{ outputs.slug.value }}"
`;

describe('engine basics', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine({ env: { SECRET_TOKEN: Buffer.from('t0k3n-value').toString('base64') } });
    await engine.load(hello);
  });
  afterAll(async () => engine.close());

  it('runs a flow to SUCCESS with typed inputs, outputs and logs', async () => {
    const view = await engine.run('hello', { vm: 'Prod Web 01' });
    expect(view.state).toBe('SUCCESS');
    expect(view.inputs).toEqual({ vm: 'Prod Web 01', n: 2 });
    expect(view.taskRuns.map((run) => [run.taskId, run.state])).toEqual([
      ['greet', 'SUCCESS'],
      ['slug', 'SUCCESS'],
    ]);
    expect(view.taskRuns[1]?.outputs).toEqual({ value: 'prod-web-01-4' });
    expect(view.outputs).toEqual({ slug: 'prod-web-01-4' });
    const logs = await engine.service.logs(view.id);
    expect(logs.map((line) => [line.taskId, line.level, line.message])).toContainEqual(['greet', 'INFO', 'Hello Prod Web 01']);
  });

  it('refuses bad inputs before creating anything', async () => {
    const before = (await engine.service.list()).length;
    await expect(engine.service.start('hello', { n: 'many' }, { as: 'alice' })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/vm.*required[\s\S]*n.*"many"|n.*"many"[\s\S]*vm.*required/),
    });
    expect((await engine.service.list()).length).toBe(before);
  });

  it('pins the revision an execution started with', async () => {
    await engine.load(hello.replace('Hello {{ inputs.vm }}', 'Bonjour {{ inputs.vm }}'));
    const view = await engine.run('company.ops.hello', { vm: 'a' });
    expect(view.revision).toBe(2);
    const logs = await engine.service.logs(view.id);
    expect(logs.some((line) => line.message === 'Bonjour a')).toBe(true);
    const first = (await engine.service.list({ flowId: 'hello' })).at(-1);
    expect((await engine.service.execution(first!.id)).revision).toBe(1);
  });

  it('masks secrets in logs and outputs', async () => {
    await engine.load(`
id: secretive
namespace: company.ops
tasks:
  - id: leak
    type: io.kestra.plugin.core.log.Log
    message: "token is {{ secret('TOKEN') }}"
  - id: out
    type: io.kestra.plugin.core.debug.Return
    format: "Bearer {{ secret('TOKEN') }}"
`);
    const view = await engine.run('secretive');
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns[1]?.outputs).toEqual({ value: 'Bearer ******' });
    const logs = await engine.service.logs(view.id);
    expect(logs.find((line) => line.taskId === 'leak')?.message).toBe('token is ******');
    expect(JSON.stringify(logs)).not.toContain('t0k3n-value');
  });

  it('stores KV values and reads them back with kv()', async () => {
    await engine.load(`
id: kv-roundtrip
namespace: company.ops
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: last_patch
    value: "2026-11-21"
  - id: read
    type: io.kestra.plugin.core.debug.Return
    format: "{{ kv('last_patch') }}"
`);
    const view = await engine.run('kv-roundtrip');
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns[1]?.outputs).toEqual({ value: '2026-11-21' });
  });
});

describe('a replica that has never seen the flow', () => {
  // On the embedded database this once deadlocked: the flow was read outside the open transaction.
  it('runs work created by another process (its flow cache starts empty)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'patchbay-replica-'));
    const test = onPostgres() ? await createTestDatabase() : undefined;
    const open = () => (test ? Promise.resolve(test.database) : openDatabase({ dataDir: dir }));
    const config = loadConfig({ PATCHBAY_DATA_DIR: dir, PATCHBAY_FLOWS_DIR: dir }, dir);
    try {
      const creator = await PatchbayService.open({ config, database: await open() });
      // A timer is the replica's first event: its first flow read happens inside a transition.
      const delayed = `id: delayed\nnamespace: company.ops\ntasks:\n  - id: nap\n    type: io.kestra.plugin.core.flow.Pause\n    pauseDuration: PT0.2S\n  - id: after\n    type: io.kestra.plugin.core.log.Log\n    message: awake\n`;
      await creator.flows.sync(parseFlowSource(delayed, 'delayed.yaml').flows);
      const id = await creator.start('delayed', {}, { as: 'alice' });
      if (!test) await creator.database.close();
      const replica = await PatchbayService.open({ config, database: await open() });
      await replica.startWorker({ pollMs: 50, onError: () => undefined });
      const view = await Promise.race([replica.settle(id, 50), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stuck')), 10_000))]);
      expect(view.state).toBe('SUCCESS');
      await replica.close();
      if (!test) await replica.database.close();
    } finally {
      await test?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
