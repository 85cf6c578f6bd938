import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusPermalink } from '../../../src/slack/notifier/index.js';
import { CHANNEL, type Harness, callText, createHarness, eventually, expectSpaced, finalStatus, statusMessages, textOf, updatesOf } from './support.js';

/** The live status message: posted once, edited in place (coalesced), final state, failure reply. */
const steps = `
id: steps
namespace: chat.ops
inputs:
  - id: vm
    type: STRING
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: "snapshot of {{ inputs.vm }}"
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: third
    type: io.kestra.plugin.core.log.Log
    message: "patched {{ inputs.vm }}"
  - id: link
    type: io.kestra.plugin.core.debug.Return
    format: "{{ appLink() ?? 'none' }}"
`;

const sleepy = `
id: sleepy
namespace: chat.ops
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: awake
`;

const failing = `
id: failing
namespace: chat.ops
tasks:
  - id: prepare
    type: io.kestra.plugin.core.log.Log
    message: preparing the patch
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the health check failed on vm-01
`;

const many = `
id: many
namespace: chat.ops
tasks:
${Array.from({ length: 30 }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.log.Log\n    message: step ${i}`).join('\n')}
`;

const labelled = `
id: labelled
namespace: chat.ops
labels:
  slack-channel: C0LABEL
tasks:
  - id: only
    type: io.kestra.plugin.core.log.Log
    message: scheduled run
`;

describe('slack notifier: status message', { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness([steps, sleepy, failing, many, labelled]);
    await h.notifier();
  }, 60_000);
  afterAll(async () => h.close());

  it('posts one message and edits it in place as tasks progress, up to the final state', async () => {
    const id = await h.start('chat.ops.steps', { vm: 'vm-01' });
    // The Pause holds the run still, so the intermediate state is seen whatever the machine's speed.
    const paused = await eventually(() => statusMessages(h.slack).find((m) => textOf(m).includes(id) && /wait` paused/.test(textOf(m))));
    expect(textOf(paused)).toMatch(/first` success/);
    await h.engine.service.decide({ executionId: id, actor: 'UBOB', approve: true });
    const { message, view } = await finalStatus(h, id);
    expect(message.ts).toBe(paused.ts);
    expect(statusMessages(h.slack).filter((m) => textOf(m).includes(id))).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts && callText(c).includes(id))).toHaveLength(1);
    expect(textOf(message)).toMatch(/third` success/);
    expect(textOf(message)).toContain('vm-01');
    expectSpaced(updatesOf(h.slack, CHANNEL, message.ts));
    // appLink(): the permalink, stored with the message.
    const permalink = await statusPermalink(h.engine.service.database, id);
    expect(permalink).toContain(`/archives/${CHANNEL}/p${message.ts.replace('.', '')}`);
    // …and what a task rendering appLink() after the message was posted gets.
    expect(view.taskRuns.find((run) => run.taskId === 'link')?.outputs).toEqual({ value: permalink });
    // Recorded right after Slack answered the final edit: the poll leaves the message alone from then on.
    await eventually(async () => {
      const [row] = await h.engine.service.database.rows<{ done: boolean }>(sql`select done from chat_messages where execution_id = ${id} and kind = 'status'`);
      return row?.done;
    });
  });

  it('posts the error and the last log lines in the thread once when the run fails', async () => {
    const id = await h.start('chat.ops.failing');
    const { message, view } = await finalStatus(h, id);
    expect(view.state).toBe('FAILED');
    const replies = await eventually(() => {
      const thread = h.slack.thread(CHANNEL, message.ts).filter((m) => m.thread_ts === message.ts);
      return thread.length > 0 && thread;
    });
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('the health check failed on vm-01');
    expect(textOf(replies[0])).toContain('preparing the patch');
    await new Promise((resolve) => setTimeout(resolve, 500)); // late refreshes post nothing more
    expect(h.slack.thread(CHANNEL, message.ts).filter((m) => m.thread_ts === message.ts)).toHaveLength(1);
  });

  it('coalesces a burst of fast tasks into far fewer edits, never two within a second', async () => {
    // Slack's own limit on editing in one channel, which the coalescing keeps clear of.
    h.slack.setChatUpdateLimit({ perChannelPerSecond: 1 });
    try {
      const id = await h.start('chat.ops.many');
      const { message } = await finalStatus(h, id);
      const edits = updatesOf(h.slack, CHANNEL, message.ts);
      expect(edits.length).toBeLessThan(10);
      expectSpaced(edits);
      expect(textOf(message)).toMatch(/t29` success/);
      expect(h.slack.callsTo('chat.update').filter((c) => c.args.ts === message.ts && c.status === 429)).toEqual([]);
    } finally {
      h.slack.setChatUpdateLimit(undefined);
    }
  });

  it('honours 429 Retry-After and still reaches the final state', async () => {
    const id = await h.start('chat.ops.sleepy');
    const posted = await eventually(() => statusMessages(h.slack).find((m) => textOf(m).includes(id)));
    h.slack.rateLimit('chat.update', { times: 1, retryAfterSeconds: 1 });
    await finalStatus(h, id);
    const calls = h.slack.callsTo('chat.update').filter((c) => c.args.ts === posted.ts);
    const limited = calls.findIndex((c) => c.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    expect(calls[limited + 1]!.time - calls[limited]!.time).toBeGreaterThanOrEqual(1000);
    expect(h.errors.filter((e) => /status message/.test(e.context))).toEqual([]);
  });

  it('gives a message up on an error no retry can mend, and the run goes on regardless', async () => {
    const id = await h.start('chat.ops.sleepy');
    await eventually(() => statusMessages(h.slack).find((m) => textOf(m).includes(id)));
    h.slack.failNext('chat.update', 'message_not_found', 1);
    const row = await eventually(async () => {
      const [found] = await h.engine.service.database.rows<{ done: boolean; lastError: string }>(
        sql`select done, last_error as "lastError" from chat_messages where execution_id = ${id} and kind = 'status'`,
      );
      return found?.done && found;
    });
    expect(row.lastError).toBe('message_not_found');
    expect((await h.engine.service.settle(id, 50)).state).toBe('SUCCESS');
    expect(h.errors.some((e) => e.context.includes(id))).toBe(true);
  });

  it('posts runs not started from Slack to the flow label channel', async () => {
    const id = await h.engine.service.start('chat.ops.labelled', {}, { as: 'scheduler' });
    await h.engine.service.settle(id, 50);
    const posted = await eventually(() => h.slack.messages('C0LABEL').find((m) => textOf(m).includes('Finished: SUCCESS')));
    expect(textOf(posted)).toContain(id);
  });
});
