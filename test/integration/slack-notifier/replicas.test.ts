import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, type Harness, createHarness, eventually, expectSpaced, finalStatus, statusMessages, textOf, updatesOf } from './support.js';

/**
 * Two notifiers on one database (two connection pools on PostgreSQL): every message is posted
 * once, edits of one message stay a second apart across both, a reminder is posted once.
 */
const busy = `
id: busy
namespace: chat.ops
tasks:
${Array.from({ length: 20 }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.log.Log\n    message: step ${i}`).join('\n')}
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    description: Go on with the rollout
    remindEvery: PT3S
    assignment:
      users: [UBOB, carol@example.com]
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: rolled out
`;

describe('slack notifier: two replicas', { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness([busy]);
    await h.notifier();
    await h.notifier({ service: await h.replica() });
  }, 60_000);
  afterAll(async () => h.close());

  it('posts every message exactly once and never edits one message twice within a second', async () => {
    const ids = [await h.start('chat.ops.busy'), await h.start('chat.ops.busy')];
    for (const id of ids) {
      const status = await eventually(() => statusMessages(h.slack).find((m) => textOf(m).includes(id)));
      await eventually(() => h.slack.thread(CHANNEL, status.ts).some((m) => textOf(m).includes('still waiting for approval')), 20_000, 'a reminder');
      await h.engine.service.decide({ executionId: id, actor: 'UBOB', approve: true });
      const { message, view } = await finalStatus(h, id);
      expect(view.state).toBe('SUCCESS');
      const approvalCopies = h.slack.messages().filter((m) => textOf(m).includes('step `approve`') && textOf(m).includes(id) && !textOf(m).includes('still waiting'));
      await eventually(() => approvalCopies.every((m) => textOf(h.slack.message(m.channel, m.ts)).includes('Approved')), 20_000, 'decided copies');
      expect(approvalCopies.map((m) => m.channel).sort()).toEqual([CHANNEL, 'DBOB', 'DCAROL']);
      expect(statusMessages(h.slack).filter((m) => textOf(m).includes(id))).toHaveLength(1);
      expect(h.slack.thread(CHANNEL, message.ts).filter((m) => textOf(m).includes('still waiting for approval'))).toHaveLength(1);
      for (const m of [message, ...approvalCopies]) expectSpaced(updatesOf(h.slack, m.channel, m.ts));
    }
    // One claim per message, whichever replica won it.
    const [claims] = await h.engine.service.database.rows<{ n: number }>(sql`select count(*)::int as n from chat_messages where kind in ('status', 'approval')`);
    expect(claims?.n).toBe(2 * 4);
    expect(h.errors).toEqual([]);
  });
});
