import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, spawnPatchbay } from '../../support/cli-process.js';

/** `patchbay schedules` and `patchbay schedules backfill` as operators run them (embedded database). */
const flows = {
  'window.yaml': `
id: saturday-window
namespace: ops.patching
tasks:
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: "window {{ trigger.date }}"
triggers:
  - id: window
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * 6"
    timezone: Europe/Paris
  - id: paused
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@daily"
    disabled: true
`,
};

describe('patchbay schedules', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-sched-cli-'));
    for (const [name, text] of Object.entries(flows)) await writeFile(path.join(dir, name), text);
    env = { PATCHBAY_FLOWS_DIR: dir, PATCHBAY_DATA_DIR: path.join(dir, 'data') };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => finished(spawnPatchbay(args, env));

  it('lists each trigger with its next fire in its zone and the cron in words', async () => {
    const result = await run('schedules');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^FLOW\s+TRIGGER\s+NEXT FIRE\s+SCHEDULE\s+LAST FIRE$/);
    const window = lines.find((line) => line.includes(' window '));
    expect(window).toMatch(/^ops\.patching\.saturday-window\s+window\s+\d{4}-\d\d-\d\dT02:00:00\+0[12]:00\s+At 02:00 on Saturday, Europe\/Paris\s+-$/);
    expect(lines.find((line) => line.includes(' paused '))).toMatch(/paused\s+disabled\s+At 00:00, UTC/);
  }, 60_000);

  it('backfills a range once: the second run starts nothing', async () => {
    const args = ['schedules', 'backfill', 'ops.patching.saturday-window', '--trigger', 'window', '--from', '2025-05-01T00:00:00Z', '--to', '2025-05-18T00:00:00Z'];
    const first = await run(...args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/started \S+\s+CREATED\s+fire 2025-05-03T00:00:00\.000Z/);
    expect(first.stdout).toMatch(/fire 2025-05-17T00:00:00\.000Z/);
    expect(first.stdout).toMatch(/ops\.patching\.saturday-window window: 3 runs started\n$/);
    const second = await run(...args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('ops.patching.saturday-window window: 0 runs started, 3 fire times already had their runs\n');
    const listed = await run('schedules');
    expect(listed.stdout).toMatch(/At 02:00 on Saturday, Europe\/Paris\s+2025-05-17T00:00:00\.000Z/);
  }, 60_000);

  it('usage errors exit 2 on stderr', async () => {
    const missing = await run('schedules', 'backfill', 'ops.patching.saturday-window', '--from', '2025-05-01T00:00:00Z');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--to is required/);
    const bad = await run('schedules', 'backfill', 'ops.patching.saturday-window', '--from', 'yesterday', '--to', '2025-05-01T00:00:00Z');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from `yesterday` is not an ISO-8601 date-time/);
    const several = await run('schedules', 'backfill', 'ops.patching.saturday-window', '--from', '2025-05-01T00:00:00Z', '--to', '2025-05-02T00:00:00Z');
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/several Schedule triggers \(window, paused\); say which with --trigger/);
  }, 60_000);
});
