import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEngine, createTestEngine } from '../../support/engine.js';

/** Assignees listed by e-mail: the surface says who an entry names (Slack resolves e-mails to user ids). */
const gated = `
id: by-mail
namespace: company.ops
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    assignment:
      users: [bob@example.com]
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: approved
`;

describe('decisions with an assignee matcher', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(gated);
  }, 120_000);
  afterAll(() => engine.close());

  const directory: Record<string, string> = { 'bob@example.com': 'U0BOB' };
  const isUser = async (actor: string, entry: string) => directory[entry] === actor;

  it('lets the user an e-mail entry names approve, and still refuses others', async () => {
    const waiting = await engine.run('company.ops.by-mail', {}, 'U0ALICE');
    expect(waiting.state).toBe('PAUSED');
    await expect(engine.service.decide({ executionId: waiting.id, actor: 'U0MALLORY', approve: true, isUser })).rejects.toThrow(/not an assignee/);
    // Without the matcher the Slack id does not equal the e-mail: refused.
    await expect(engine.service.decide({ executionId: waiting.id, actor: 'U0BOB', approve: true })).rejects.toThrow(/not an assignee/);
    const outcome = await engine.service.decide({ executionId: waiting.id, actor: 'U0BOB', approve: true, isUser });
    expect(outcome.applied).toBe(true);
    expect((await engine.service.settle(waiting.id, 20)).state).toBe('SUCCESS');
  });
});
