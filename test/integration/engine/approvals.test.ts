import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEngine, createTestEngine } from '../../support/engine.js';

/** Pause, HumanTask and their decisions through the service, as the CLI and Slack use them. */
const flows = [
  `
id: paused
namespace: company.ops
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: ticket
        type: STRING
        validator: ^CHG[0-9]+$
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.wait.onResume.ticket }}"
`,
  `
id: delayed
namespace: company.ops
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT0.3S
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: awake
`,
  `
id: gated
namespace: company.ops
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    description: Patch production
    assignment:
      users: [bob, carol, dave]
    minApprovals: 2
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
errors:
  - id: on_reject
    type: io.kestra.plugin.core.log.Log
    message: "rejected"
`,
  `
id: expiring
namespace: company.ops
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    timeout: PT0.3S
    behavior: WARN
  - id: next
    type: io.kestra.plugin.core.log.Log
    message: went on
`,
];

describe('pauses and approvals', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(...flows);
  });
  afterAll(async () => engine.close());

  it('waits through a Pause with a duration (a timer row, not a setTimeout)', async () => {
    const view = await engine.run('delayed');
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns.map((run) => run.taskId)).toEqual(['nap', 'done']);
  });

  it('stops at a Pause without duration and resumes with checked onResume inputs', async () => {
    const paused = await engine.run('paused');
    expect(paused.state).toBe('PAUSED');
    await expect(engine.service.decide({ executionId: paused.id, actor: 'bob', approve: true, inputs: { ticket: 'nope' } })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
    const outcome = await engine.service.decide({ executionId: paused.id, actor: 'bob', approve: true, inputs: { ticket: 'CHG42' } });
    expect(outcome).toMatchObject({ applied: true, decided: true });
    const view = await engine.service.settle(paused.id, 50);
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns.find((run) => run.taskId === 'after')?.outputs).toEqual({ value: 'CHG42' });
    expect(view.taskRuns.find((run) => run.taskId === 'wait')?.outputs).toMatchObject({ onResume: { ticket: 'CHG42' } });
  });

  it('collects a quorum of distinct assignees and refuses outsiders and the requester', async () => {
    const waiting = await engine.run('gated', {}, 'bob');
    expect(waiting.state).toBe('PAUSED');
    await expect(engine.service.decide({ executionId: waiting.id, actor: 'mallory', approve: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(engine.service.decide({ executionId: waiting.id, actor: 'bob', approve: true })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('started this execution'),
    });
    const first = await engine.service.decide({ executionId: waiting.id, actor: 'carol', approve: true });
    expect(first).toMatchObject({ applied: true, decided: false, approvals: 1, needed: 2 });
    await expect(engine.service.decide({ executionId: waiting.id, actor: 'carol', approve: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    const second = await engine.service.decide({ executionId: waiting.id, actor: 'dave', approve: true });
    expect(second).toMatchObject({ applied: true, decided: true, approvals: 2 });
    const view = await engine.service.settle(waiting.id, 50);
    expect(view.state).toBe('SUCCESS');
    const audit = await engine.test.database.rows<{ action: string; actor: string }>(
      sql`select action, actor from audit_log where subject_id = ${waiting.id} order by id`,
    );
    expect(audit.map((row) => `${row.action}:${row.actor}`)).toEqual([
      'decision.refused:mallory',
      'decision.refused:bob',
      'decision.approve:carol',
      'decision.late:carol',
      'decision.approve:dave',
    ]);
  });

  it('fails the task on rejection so the errors branch runs, and tells late clickers who decided', async () => {
    const waiting = await engine.run('gated', {}, 'alice');
    await engine.service.decide({ executionId: waiting.id, actor: 'carol', approve: false, reason: 'not in the window' });
    await expect(engine.service.decide({ executionId: waiting.id, actor: 'dave', approve: true })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already rejected by carol'),
    });
    const view = await engine.service.settle(waiting.id, 50);
    expect(view.state).toBe('FAILED');
    expect(view.taskRuns.find((run) => run.taskId === 'approve')?.error).toBe('rejected by carol: not in the window');
    expect(view.taskRuns.find((run) => run.taskId === 'on_reject')?.state).toBe('SUCCESS');
    expect(view.taskRuns.some((run) => run.taskId === 'patch')).toBe(false);
  });

  it('applies exactly one of 50 concurrent resumes', async () => {
    const paused = await engine.run('gated', {}, 'alice');
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) =>
        engine.service.decide({ executionId: paused.id, actor: ['bob', 'carol', 'dave'][index % 3] as string, approve: false, reason: `r${index}` }),
      ),
    );
    const applied = attempts.filter((attempt) => attempt.status === 'fulfilled');
    expect(applied).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') expect(String((attempt.reason as Error).message)).toMatch(/already rejected by|already voted/);
    }
    const view = await engine.service.settle(paused.id, 50);
    expect(view.state).toBe('FAILED');
  });

  it('applies the timeout behavior of a waiting Pause (WARN) when its timer fires', async () => {
    const paused = await engine.run('expiring');
    expect(paused.state).toBe('PAUSED');
    await expect.poll(async () => (await engine.service.execution(paused.id)).state, { timeout: 5000, interval: 50 }).toBe('WARNING');
    const view = await engine.service.execution(paused.id);
    expect(view.taskRuns.map((run) => [run.taskId, run.state])).toEqual([
      ['wait', 'WARNING'],
      ['next', 'SUCCESS'],
    ]);
  });
});
