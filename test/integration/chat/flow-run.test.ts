import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../../src/chat/types.js';
import { auditLog, executions } from '../../../src/db/schema.js';
import { parsePolicy } from '../../../src/policy/load.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { BOOT_MS, chatFlows, flow, textOf } from './support.js';

/** `/flow run` against a real engine: what starts, what asks for inputs, what is refused. */
describe('/flow run', () => {
  let engine: TestEngine;
  let context: ChatContext;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(...chatFlows);
    context = { service: engine.service };
  }, BOOT_MS);
  afterAll(async () => engine?.close());

  it('starts a flow as the actor, recording the chat origin, with quoted values', async () => {
    const reply = await flow(context, 'run company.ops.hello vm=web-01 count=3 note="two words"', 'alice', { channel: 'C_OPS' });
    expect(reply.kind).toBe('started');
    if (reply.kind !== 'started') return;
    expect(textOf(reply)).toContain(reply.executionId);
    const view = await engine.service.settle(reply.executionId, 50);
    expect(view).toMatchObject({ state: 'SUCCESS', createdBy: 'alice', inputs: { vm: 'web-01', count: 3, env: 'dev', note: 'two words' } });
    const [row] = await engine.service.database.db.select().from(executions).where(eq(executions.id, reply.executionId));
    expect(row?.trigger).toEqual({ type: 'chat', surface: 'slack', channel: 'C_OPS', user: 'alice' });
    const logs = await engine.service.logs(reply.executionId);
    expect(logs.map((l) => l.message)).toContain('hello web-01 x3 in dev: two words');
  });

  it('passes typed values as data, never as templates', async () => {
    const reply = await flow(context, `run hello vm=web-02 note='{{ 7 * 7 }}'`);
    if (reply.kind !== 'started') throw new Error(textOf(reply));
    await engine.service.settle(reply.executionId, 50);
    const logs = await engine.service.logs(reply.executionId);
    expect(logs.map((l) => l.message)).toContain('hello web-02 x1 in dev: {{ 7 * 7 }}');
  });

  it('asks for missing required inputs, keeping what was given and evaluating SELECT expressions', async () => {
    const reply = await flow(context, 'run hello count=2');
    expect(reply.kind).toBe('askInputs');
    if (reply.kind !== 'askInputs') return;
    expect(reply.flow.id).toBe('hello');
    expect(reply.prefilled).toEqual({ count: '2' });
    expect(reply.options).toEqual({ env: ['dev', 'prod'] });
    const text = textOf(reply);
    expect(text).toContain('`company.ops.hello` needs this input:');
    expect(text).toContain('`vm` STRING · must match `^[a-z0-9-]+$`');
    expect(text).toContain('/flow run company.ops.hello count=2 vm=…');
  });

  it('in Slack, asks for the inputs of a flow given no arguments (the form shows defaults)', async () => {
    const reply = await flow(context, 'run company.ops.hello');
    expect(reply.kind).toBe('askInputs');
    if (reply.kind !== 'askInputs') return;
    expect(reply.prefilled).toEqual({});
    expect(textOf(reply)).toContain('`env` SELECT · one of dev, prod · default `dev`');
  });

  it('in the shell, runs a flow whose inputs all have defaults when given none', async () => {
    const reply = await flow(context, 'run noinputs', 'alice', { surface: 'shell', channel: 'shell' });
    expect(reply.kind).toBe('started');
  });

  it('names every invalid input and the rule it broke, starting nothing', async () => {
    const before = await engine.service.list({ flowId: 'hello' });
    const reply = await flow(context, 'run hello vm=Bad_Name count=99 env=qa colour=red');
    expect(reply.kind).toBe('private');
    const text = textOf(reply);
    expect(text).toContain('`company.ops.hello` was not started');
    expect(text).toContain("`colour` — unknown: unknown input 'colour'; this flow declares: vm, count, env, note");
    expect(text).toContain('`vm` — validator: "Bad_Name" does not match ^[a-z0-9-]+$');
    expect(text).toContain('`count` — max: 99 is greater than the maximum 10');
    expect(text).toContain('`env` — values: "qa" is not one of dev, prod');
    expect(text).toContain('Fix and run again: `/flow run company.ops.hello vm=… count=… env=…`');
    expect(await engine.service.list({ flowId: 'hello' })).toHaveLength(before.length);
  });

  it('suggests the closest flow for an unknown name', async () => {
    const reply = await flow(context, 'run helo vm=x');
    expect(reply.kind).toBe('private');
    expect(textOf(reply)).toContain('No flow `helo`. Did you mean `company.ops.hello`?');
  });

  it('refuses stray words instead of guessing', async () => {
    expect(textOf(await flow(context, 'run hello web-01'))).toContain('Unexpected `web-01`');
  });

  it('offers a picker of runnable flows when no flow is named', async () => {
    const reply = await flow(context, 'run');
    expect(reply.kind).toBe('private');
    const buttons = reply.message.blocks.flatMap((b) => (b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory] : []));
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      ['flow_pick', 'company.ops.gated'],
      ['flow_pick', 'company.ops.hello'],
      ['flow_pick', 'company.ops.paused'],
      ['flow_pick', 'company.ops.sleepy'],
      ['flow_pick', 'company.sandbox.noinputs'],
    ]);
  });

  describe('with a policy', () => {
    const policy = parsePolicy('run:\n  - flows: ["company.sandbox.*"]\n    anyone: true\n  - flows: ["company.ops.*"]\n    users: [alice]\n', 'policy.yaml');

    it('refuses privately and audits who tried what from where', async () => {
      const reply = await flow({ ...context, policy }, 'run hello vm=web-01', 'mallory', { channel: 'C_RANDOM' });
      expect(reply.kind).toBe('private');
      expect(textOf(reply)).toContain('You may not run `company.ops.hello` from this channel');
      const rows = await engine.service.database.db.select().from(auditLog).where(eq(auditLog.actor, 'mallory'));
      expect(rows).toEqual([
        expect.objectContaining({ action: 'policy.refused', subjectType: 'flow', subjectId: 'company.ops.hello', details: { attempted: 'run', channel: 'C_RANDOM', surface: 'slack' } }),
      ]);
    });

    it('lets allowed people run, and lists only what they may run in the picker', async () => {
      expect((await flow({ ...context, policy }, 'run hello vm=web-03', 'alice')).kind).toBe('started');
      const picker = await flow({ ...context, policy }, 'run', 'mallory');
      expect(textOf(picker)).toContain('company.sandbox.noinputs');
      expect(textOf(picker)).not.toContain('company.ops.hello');
    });
  });
});
