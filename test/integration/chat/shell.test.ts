import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPolicy } from '../../../src/policy/policy.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { driveShell, type ShellDriver } from '../../unit/shell/driver.js';
import { BOOT_MS, chatFlows, member } from './support.js';

/**
 * The local shell chat end to end, through its streams: a run that stops at an approval, the
 * request printed as text, decided as another user, followed to its end.
 */
const idIn = (text: string): string => {
  const match = /execution `?([0-9A-Za-z]{22})/.exec(text);
  if (!match) throw new Error(`no execution id in:\n${text}`);
  return match[1]!;
};

describe('shell chat, end to end', () => {
  let engine: TestEngine;
  let shell: ShellDriver;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(...chatFlows);
    shell = driveShell({ service: engine.service, user: 'alice', policy: openPolicy, membership: member, pollMs: 100 });
  }, BOOT_MS);
  afterAll(async () => {
    await shell?.end();
    await engine?.close();
  });

  it('runs a flow, prints the approval request, and finishes once an assignee approves', async () => {
    shell.send('/flow run gated');
    const asked = await shell.waitFor('reject ');
    expect(asked).toMatch(/▶ company\.ops\.gated started by alice: execution /);
    expect(asked).toMatch(/⏸ approve paused/);
    expect(asked).toContain('✋ *Approval needed* for `company.ops.gated` step `approve`');
    expect(asked).toContain('Patch production');
    expect(asked).toContain('Approvers: bob, @sre');
    expect(asked).toContain('(alice started it and may not approve it)');
    const id = idIn(asked);
    expect(asked).toContain(`approve ${id} [reason]`);
    expect(asked).toContain(`reject ${id} <reason>`);

    shell.send(`approve ${id}`);
    expect(await shell.waitFor('patchbay> ')).toContain('refused: alice started this execution and may not approve it');

    shell.send(`--as bob approve ${id} looks good`);
    const done = await shell.waitFor(/SUCCESS in .*\(execution/);
    expect(done).toContain('approved by bob');
    expect(done).toMatch(/✔ patch success/);
    expect(done).not.toContain('⏸ approve paused'); // lines already shown are not repeated
    expect((await engine.service.execution(id)).state).toBe('SUCCESS');
  });

  it('lets a member of an assigned group reject, with a reason', async () => {
    shell.send('/flow run gated');
    const id = idIn(await shell.waitFor('reject '));
    shell.send(`--as dave reject ${id} nope`);
    expect(await shell.waitFor('patchbay> ')).toContain('dave is not an assignee of this approval (assignees: bob, @sre)');
    shell.send(`--as carol reject ${id} "not during the freeze"`);
    const done = await shell.waitFor(/FAILED .*\(execution/);
    expect(done).toContain('rejected by carol');
    expect(done).toContain('error:');
  });

  it('resumes an unassigned pause as anyone', async () => {
    shell.send('/flow run paused');
    const asked = await shell.waitFor('reject ');
    expect(asked).toContain('Approvers: anyone');
    const id = idIn(asked);
    shell.send(`--as zed approve ${id}`);
    expect(await shell.waitFor(/SUCCESS .*\(execution/)).toContain('✔ after success');
  });

  it('prints the missing inputs and the line to type instead of a form', async () => {
    shell.send('/flow run hello count=2');
    const text = await shell.waitFor('patchbay> ');
    expect(text).toContain('`company.ops.hello` needs this input:');
    expect(text).toContain('• `vm` STRING · must match `^[a-z0-9-]+$`');
    expect(text).toContain('Run it with `/flow run company.ops.hello count=2 vm=…`');
  });

  it('kills a sleeping run from the prompt while it is followed', async () => {
    shell.send('/flow run sleepy');
    const started = await shell.waitFor('nap running');
    const id = idIn(started);
    shell.send(`/flow kill ${id}`);
    // The reply and the follower's KILLED line race each other: either may print first.
    expect(await shell.waitFor(/KILLED .*\(execution/)).toMatch(/nap killed/);
    expect(await shell.waitFor('Kill requested')).toMatch(/KILLED .*\(execution/);
  });

  it('leaves on EOF once followed runs have settled', async () => {
    const other = driveShell({ service: engine.service, user: 'alice', policy: openPolicy, membership: member, pollMs: 100 });
    other.send('/flow run noinputs');
    await other.end(); // EOF right away: the run is still followed to its end before leaving
    expect(other.output()).toMatch(/✔ company\.sandbox\.noinputs SUCCESS/);
  });
});
