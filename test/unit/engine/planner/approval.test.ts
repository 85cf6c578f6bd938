import { describe, expect, it } from 'vitest';
import { START, Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();

const approvalFlow = (props = '') => `id: review
namespace: company.ops
tasks:
  - id: review
    type: io.kestra.plugin.core.flow.Approval
    assignment:
      users: [U_ALICE]
${props}
    onWait:
      - {id: post_request, ${LOG}}
      - {id: open_ticket, ${LOG}}
    onApprove:
      - {id: on_approve, ${LOG}}
    onDeny:
      - {id: on_deny, ${LOG}}
    finally:
      - {id: review_finally, ${LOG}}
  - {id: after, ${LOG}}
errors:
  - {id: flow_errors, ${LOG}}
`;

describe('Approval', () => {
  it('runs onWait once, then pauses and asks the reviewers', () => {
    const sim = new Sim(approvalFlow('    timeout: PT1H')).drive();
    expect(sim.created()).toEqual(['review', 'post_request', 'open_ticket']);
    expect(sim.run('open_ticket').branch).toBe('onWait');
    const run = sim.run('review');
    expect(run.state).toBe('PAUSED');
    // onWait's two tasks took a second each: the request opens at 2 s and expires an hour later
    expect(sim.of('openApproval')).toEqual([
      { type: 'openApproval', taskRunId: run.id, users: ['U_ALICE'], groups: [], minApprovals: 1, allowSelfApproval: false, expiresAt: at(3602), description: null },
    ]);
    expect(sim.of('armTimer')).toEqual([{ type: 'armTimer', taskRunId: run.id, kind: 'PAUSE_TIMEOUT', dueAt: at(3602) }]);
    expect(run.flowable).toMatchObject({ requestedAt: at(2), due: at(3602) });
    expect(sim.state).toBe('PAUSED');
    // the request is not asked twice however often the planner runs
    sim.plan();
    expect(sim.of('openApproval')).toHaveLength(1);
  });

  it('on approval runs onApprove, finally, and goes on (approveBehavior CONTINUE)', () => {
    const sim = new Sim(approvalFlow()).drive();
    sim.decide('review', true, 'U_ALICE', 'ship it', { window: 'tonight' });
    expect(sim.created()).toEqual(['review', 'post_request', 'open_ticket', 'on_approve', 'review_finally', 'after']);
    expect(sim.run('on_approve').branch).toBe('onApprove');
    expect(sim.run('review').state).toBe('SUCCESS');
    expect(sim.run('review').outputs).toEqual({
      decision: 'APPROVED',
      auto: false,
      by: 'U_ALICE',
      on: sim.run('review').flowable?.requestedAt,
      comment: 'ship it',
      inputs: { window: 'tonight' },
      due: null,
    });
    expect(sim.state).toBe('SUCCESS');
  });

  it('on denial runs onDeny and finally, then cancels the execution by default', () => {
    const sim = new Sim(approvalFlow()).drive();
    sim.decide('review', false, 'U_ALICE', 'too risky');
    expect(sim.created()).toEqual(['review', 'post_request', 'open_ticket', 'on_deny', 'review_finally']);
    expect(sim.run('review').state).toBe('KILLED');
    expect(sim.run('review').error).toBe('denied by U_ALICE: too risky');
    expect(sim.run('review').outputs?.decision).toBe('DENIED');
    expect(sim.has('after')).toBe(false);
    expect(sim.has('flow_errors')).toBe(false);
    expect(sim.state).toBe('KILLED');
  });

  it('with denyBehavior FAIL fails, and the enclosing errors run', () => {
    const sim = new Sim(approvalFlow('    denyBehavior: FAIL')).drive();
    sim.decide('review', false, 'U_ALICE', 'no');
    expect(sim.run('review').state).toBe('FAILED');
    expect(sim.created()).toEqual(['review', 'post_request', 'open_ticket', 'on_deny', 'review_finally', 'flow_errors']);
    expect(sim.state).toBe('FAILED');
  });

  it('with denyBehavior CONTINUE or WARN goes on', () => {
    const cont = new Sim(approvalFlow('    denyBehavior: CONTINUE')).drive();
    cont.decide('review', false);
    expect(cont.run('review').state).toBe('SUCCESS');
    expect(cont.has('after')).toBe(true);
    const warn = new Sim(approvalFlow('    denyBehavior: WARN')).drive();
    warn.decide('review', false);
    expect(warn.run('review').state).toBe('WARNING');
    expect(warn.state).toBe('WARNING');
  });

  it('never hides a failure inside the decision branch behind a behavior', () => {
    const sim = new Sim(approvalFlow('    approveBehavior: SUCCEED'), { on_approve: 'FAILED' }).drive();
    sim.decide('review', true);
    expect(sim.run('review').state).toBe('FAILED');
    expect(sim.created()).toContain('flow_errors');
    expect(sim.state).toBe('FAILED');
  });

  it('with approveBehavior SUCCEED ends the whole execution SUCCESS right away', () => {
    const sim = new Sim(approvalFlow('    approveBehavior: SUCCEED')).drive();
    sim.decide('review', true);
    expect(sim.run('review').state).toBe('SUCCESS');
    expect(sim.has('after')).toBe(false);
    expect(sim.state).toBe('SUCCESS');
  });

  it('applies expireBehavior when the timeout elapses (default CANCEL)', () => {
    const cancelled = new Sim(approvalFlow('    timeout: PT15M')).drive({ expire: true });
    expect(cancelled.run('review').state).toBe('KILLED');
    expect(cancelled.run('review').error).toBe('approval request expired after PT15M');
    expect(cancelled.run('review').outputs?.decision).toBe('EXPIRED');
    expect(cancelled.has('on_approve') || cancelled.has('on_deny')).toBe(false);
    expect(cancelled.state).toBe('KILLED');

    const failed = new Sim(approvalFlow('    timeout: PT15M\n    expireBehavior: FAIL')).drive({ expire: true });
    expect(failed.run('review').state).toBe('FAILED');
    expect(failed.created()).toEqual(['review', 'post_request', 'open_ticket', 'review_finally', 'flow_errors']);
  });

  it('with autoApprove skips onWait and the pause', () => {
    const sim = new Sim(approvalFlow('    autoApprove: true')).drive();
    expect(sim.created()).toEqual(['review', 'on_approve', 'review_finally', 'after']);
    expect(sim.of('openApproval')).toHaveLength(0);
    expect(sim.run('review').outputs).toMatchObject({ decision: 'APPROVED', auto: true, by: null });
    expect(sim.of('setExecutionState').map((a) => a.state)).not.toContain('PAUSED');
  });

  it('fails without asking anyone when onWait fails', () => {
    const sim = new Sim(approvalFlow(), { post_request: 'FAILED' }).drive();
    expect(sim.of('openApproval')).toHaveLength(0);
    expect(sim.created()).toEqual(['review', 'post_request', 'review_finally', 'flow_errors']);
    expect(sim.run('review').state).toBe('FAILED');
  });
});
