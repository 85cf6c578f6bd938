import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../../src/chat/types.js';
import { auditLog } from '../../../src/db/schema.js';
import { parsePolicy } from '../../../src/policy/load.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { BOOT_MS, chatFlows, flow, member, textOf } from './support.js';

/** The read-only sub-commands, kill, and who sees which approvals, against a real engine. */
describe('/flow sub-commands', () => {
  let engine: TestEngine;
  let context: ChatContext;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(...chatFlows);
    context = { service: engine.service };
  }, BOOT_MS);
  afterAll(async () => engine?.close());

  it('lists flows, within a namespace and its sub-namespaces', async () => {
    const all = textOf(await flow(context, 'list'));
    expect(all).toContain('Flows (5)');
    const sandbox = textOf(await flow(context, 'list company.sandbox'));
    expect(sandbox).toContain('company.sandbox.noinputs');
    expect(sandbox).not.toContain('company.ops');
    expect(textOf(await flow(context, 'list company'))).toContain('Flows (5)');
    expect(textOf(await flow(context, 'list comp'))).toContain('No flows in `comp` or below'); // a prefix is not a namespace
  });

  it('describes a flow, with the steps that wait for people', async () => {
    const text = textOf(await flow(context, 'describe gated'));
    expect(text).toContain('company.ops.gated');
    expect(text).toMatch(/`approve` HumanTask by bob, @sre/);
  });

  it('shows status and the last log lines of an execution', async () => {
    const view = await engine.run('hello', { vm: 'web-01' });
    const status = textOf(await flow(context, `status ${view.id}`));
    expect(status).toContain('SUCCESS');
    expect(status).toContain('`say` success');
    const logs = textOf(await flow(context, `logs ${view.id}`));
    expect(logs).toContain(`Logs of company.ops.hello (success, execution ${view.id})`);
    expect(logs).toContain('hello web-01 x1 in dev');
    expect(textOf(await flow(context, 'status nope'))).toContain('no execution nope');
    expect(textOf(await flow(context, 'status'))).toContain('usage: /flow status <execution id>');
  });

  it('kills a running execution as the actor (audited by the service)', async () => {
    const id = await engine.service.start('sleepy', {}, { as: 'alice' });
    const reply = await flow(context, `kill ${id}`, 'alice');
    expect(textOf(reply)).toContain(`Kill requested for company.ops.sleepy`.replace('company.ops.sleepy', '`company.ops.sleepy`'));
    expect((await engine.service.settle(id, 50)).state).toBe('KILLED');
    const rows = await engine.service.database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, id), eq(auditLog.action, 'execution.kill')));
    expect(rows.map((r) => r.actor)).toEqual(['alice']);
    expect(textOf(await flow(context, `kill ${id}`))).toContain('already ended KILLED');
  });

  it('refuses a kill the policy does not allow, and audits it', async () => {
    const policy = parsePolicy('kill:\n  - flows: ["*"]\n    groups: [sre]\n', 'policy.yaml');
    const id = await engine.service.start('sleepy', {}, { as: 'alice' });
    const refused = await flow({ ...context, policy }, `kill ${id}`, 'alice');
    expect(textOf(refused)).toContain('You may not kill executions of `company.ops.sleepy`');
    expect((await engine.service.execution(id)).state).toBe('RUNNING');
    const [row] = await engine.service.database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, id), eq(auditLog.action, 'policy.refused')));
    expect(row).toMatchObject({ actor: 'alice', subjectType: 'execution', details: { attempted: 'kill', channel: 'C_OPS', flow: 'company.ops.sleepy' } });
    // carol is in sre: allowed.
    expect(textOf(await flow({ ...context, policy }, `kill ${id}`, 'carol'))).toContain('Kill requested');
    expect((await engine.service.settle(id, 50)).state).toBe('KILLED');
  });

  describe('approvals', () => {
    let gatedByAlice: string;
    let gatedByBob: string;
    let pausedByAlice: string;
    beforeAll(async () => {
      gatedByAlice = (await engine.run('gated', {}, 'alice')).id;
      gatedByBob = (await engine.run('gated', {}, 'bob')).id;
      pausedByAlice = (await engine.run('paused', {}, 'alice')).id;
    });
    const visible = async (user: string, policyContext: ChatContext = context): Promise<string[]> => {
      const list = await engine.service.approvalsFor({ id: user, isMember: (g) => member(user, g) }, policyContext.policy ? { policy: policyContext.policy, channel: 'C_OPS' } : {});
      return list.map((a) => a.executionId);
    };

    it('shows an assignee the runs assigned to them, never their own', async () => {
      expect(await visible('bob')).toEqual([gatedByAlice, pausedByAlice]);
    });

    it('shows a member of an assigned group the runs of that group', async () => {
      expect(await visible('carol')).toEqual([gatedByAlice, gatedByBob, pausedByAlice]);
    });

    it('shows an unassigned pause to anyone, its requester too (a Pause allows self-approval, as the engine does)', async () => {
      expect(await visible('dave')).toEqual([pausedByAlice]);
      expect(await visible('alice')).toEqual([pausedByAlice]);
    });

    it('shows an unassigned pause only to those the policy lets run the flow', async () => {
      const policy = parsePolicy('run:\n  - flows: ["company.ops.*"]\n    users: [erin]\n', 'policy.yaml');
      expect(await visible('dave', { ...context, policy })).toEqual([]);
      expect(await visible('erin', { ...context, policy })).toEqual([pausedByAlice]);
    });

    it('answers /flow approvals with Approve / Reject buttons, or shell commands in the shell', async () => {
      const reply = await flow(context, 'approvals', 'bob');
      const text = textOf(reply);
      expect(text).toContain('Waiting for your approval (2)');
      expect(text).toContain('Patch production');
      const actions = reply.message.blocks.filter((b) => b.type === 'actions');
      expect(actions).toHaveLength(2);
      const shell = textOf(await flow(context, 'approvals', 'bob', { surface: 'shell', channel: 'shell' }));
      expect(shell).toContain(`approve ${gatedByAlice}`);
      const closed = { ...context, policy: parsePolicy('run: []', 'policy.yaml') };
      expect(textOf(await flow(closed, 'approvals', 'zed'))).toContain('Nothing is waiting for your approval.');
    });

    it('drops an approval from the list once the person voted', async () => {
      await engine.service.decide({ executionId: gatedByAlice, actor: 'bob', approve: true });
      expect(await visible('bob')).toEqual([pausedByAlice]);
    });
  });

  it('answers help with every sub-command', async () => {
    const text = textOf(await flow(context, 'help'));
    for (const usage of ['/flow run <flow> [key=value …]', '/flow list [namespace]', '/flow kill <execution id>', '/flow approvals']) expect(text).toContain(usage);
  });
});
