import { EventEmitter } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCommand } from '../../../src/cli/commands/serve.js';
import { simCommand } from '../../../src/cli/commands/sim.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { leakedHandles, openHandleCount } from '../../support/handles.js';

/**
 * The README's first minutes: `npm start` with no settings runs the shell chat against the
 * built-in simulator, the headline command patches prod-web-01, and `patchbay sim fault
 * bad-patch=…` from a second terminal makes the next run roll back. The shipped flows folder
 * is used as is.
 */
const FLOWS = path.resolve(import.meta.dirname, '../../../flows');

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => void (text += chunk.toString()));
  return { stream, text: () => text };
}

async function until(check: () => boolean, what: string, output: () => string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the terminal showed:\n${output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the offline demo', () => {
  let dir: string;
  let db: TestDatabase | undefined;
  let env: Record<string, string>;
  let baseline: number;
  beforeAll(async () => {
    baseline = await openHandleCount();
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-demo-'));
    if (process.env.TEST_DATABASE_URL) db = await createTestDatabase();
    env = { PATCHBAY_FLOWS_DIR: FLOWS, PATCHBAY_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn', ...(db?.url ? { DATABASE_URL: db.url } : {}) };
    await db?.database.close();
  }, 120_000);
  afterAll(async () => {
    if (db) await db.drop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    expect(await leakedHandles(baseline)).toBe(0); // the simulator, its guests and the worker all stopped
  });

  it('patches prod-web-01 from the shell chat, then rolls back a bad patch armed from the CLI', async () => {
    const stdout = capture();
    const stdin = new PassThrough();
    const run = serveCommand.run([], { stdout: stdout.stream, stderr: capture().stream, env, cwd: dir, stdin, signals: new EventEmitter() } as never);
    await until(() => stdout.text().includes('patchbay> '), 'the prompt', stdout.text);
    expect(stdout.text()).toMatch(/nutanix +built-in simulator at https:\/\/127\.0\.0\.1:\d+/);

    stdin.write('/flow run nutanix-safe-patch vm=prod-web-01 healthInterval=PT1S\n');
    await until(() => /nutanix-safe-patch SUCCESS/.test(stdout.text()), 'the patch to succeed', stdout.text);
    expect(stdout.text()).toContain('📣 #ops-oncall: :white_check_mark: prod-web-01 patched and healthy');

    const armed = capture();
    expect(await simCommand.run(['fault', 'bad-patch=prod-web-01'], { stdout: armed.stream, stderr: capture().stream, env, cwd: dir } as never)).toBe(0);
    expect(armed.text()).toContain('armed in the simulator of process');
    stdin.write('/flow run nutanix-safe-patch vm=prod-web-01 healthInterval=PT1S healthAttempts=6\n');
    await until(() => /nutanix-safe-patch FAILED/.test(stdout.text()), 'the bad patch to fail', stdout.text);
    expect(stdout.text()).toContain('"result":"rolled_back"');
    expect(stdout.text()).toMatch(/📣 #ops-oncall: :rotating_light: Patching prod-web-01 failed .* is healthy again/);

    stdin.end();
    expect(await run).toBe(0);
    await expect(stat(path.join(env.PATCHBAY_DATA_DIR!, 'sim', 'endpoint.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    // The simulator's state outlives the session: the next start sees the same recovery point.
    await stat(path.join(env.PATCHBAY_DATA_DIR!, 'sim', 'state.json'));
  }, 180_000);

  it('refuses to start without a real endpoint when PATCHBAY_REQUIRE_REAL is set', async () => {
    const stderr = capture();
    await expect(serveCommand.run([], { stdout: capture().stream, stderr: stderr.stream, env: { ...env, PATCHBAY_REQUIRE_REAL: '1' }, cwd: dir, stdin: new PassThrough(), signals: new EventEmitter() } as never)).rejects.toThrow(
      /PATCHBAY_REQUIRE_REAL is set but NUTANIX_HOST is not/,
    );
  });
});
