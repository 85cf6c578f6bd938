import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatContext } from '../../../src/chat/types.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { BOOT_MS, flow, textOf } from '../chat/support.js';

/** `/flow schedules` through the chat registry, as Slack and the terminal chat call it. */
const scheduled = (namespace: string, id: string, trigger: string) => `
id: ${id}
namespace: ${namespace}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
${trigger}
`;

describe('/flow schedules', () => {
  let engine: TestEngine;
  let context: ChatContext;
  beforeAll(async () => {
    engine = await createTestEngine({ worker: false });
    await engine.load(
      scheduled('ops.patching', 'window', '  - id: saturday\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 2 * * 6"\n    timezone: Europe/Paris'),
      scheduled('ops.reports', 'daily', '  - id: morning\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "@daily"\n    disabled: true'),
    );
    context = { service: engine.service };
  }, BOOT_MS);
  afterAll(async () => engine?.close());

  it('lists upcoming fires with the cron in words, filtered by namespace', async () => {
    const all = textOf(await flow(context, 'schedules'));
    expect(all).toMatch(/ops\.patching\.window.*saturday.*At 02:00 on Saturday, Europe\/Paris.*next \d{4}-\d\d-\d\dT02:00:00\+0[12]:00/);
    expect(all).toMatch(/ops\.reports\.daily.*morning.*At 00:00, UTC.*disabled/);
    const patching = textOf(await flow(context, 'schedules ops.patching'));
    expect(patching).not.toContain('ops.reports');
    expect(textOf(await flow(context, 'schedules nowhere'))).toContain('No schedules in `nowhere` or below');
  });
});
