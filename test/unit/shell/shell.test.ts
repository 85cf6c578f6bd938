import { describe, expect, it } from 'vitest';
import { defineFamily } from '../../../src/chat/family.js';
import { CommandRegistry } from '../../../src/chat/registry.js';
import { privateReply } from '../../../src/chat/replies.js';
import { openPolicy } from '../../../src/policy/policy.js';
import type { PatchbayService } from '../../../src/service/service.js';
import { driveShell } from './driver.js';

/**
 * The shell's own handling (prompt, who acts, routing, leaving) with a fake family that
 * echoes who asked: no database here; the end-to-end run is in test/integration/chat.
 */
const echo = defineFamily({
  name: 'echo',
  subcommands: [{ name: 'who', usage: '/echo who', description: 'who asks', run: async (args, request) => privateReply(`${request.actor.id} via ${request.surface}/${request.channel} ${args.positionals.join(' ')}`) }],
});

const start = (user = 'alice') =>
  driveShell({
    service: { config: {} } as PatchbayService,
    user,
    banner: 'Patchbay test banner',
    registry: new CommandRegistry([echo]),
    policy: openPolicy,
    membership: async () => false,
  });

describe('shell chat', () => {
  it('prints the banner and the prompt, and answers commands through the registry', async () => {
    const shell = start();
    await shell.waitFor('patchbay> ');
    expect(shell.output().startsWith('Patchbay test banner\npatchbay> ')).toBe(true);
    shell.send('/echo who "two words"');
    expect(await shell.waitFor('patchbay> ')).toContain('alice via shell/shell two words');
    shell.send('echo who'); // the slash is optional for a known family
    expect(await shell.waitFor('patchbay> ')).toContain('alice via shell/shell');
    await shell.end();
  });

  it('acts as someone else for one command with --as, and switches with `as`', async () => {
    const shell = start();
    shell.send('--as bob /echo who');
    expect(await shell.waitFor('patchbay> ')).toContain('bob via shell');
    shell.send('whoami');
    expect(await shell.waitFor('patchbay> ')).toContain('alice');
    shell.send('as carol');
    expect(await shell.waitFor('patchbay> ')).toContain('now acting as carol');
    shell.send('/echo who');
    expect(await shell.waitFor('patchbay> ')).toContain('carol via shell');
    shell.send('--as "dave smith"'); // alone, --as switches too
    expect(await shell.waitFor('patchbay> ')).toContain('now acting as dave smith');
    shell.send('--as');
    expect(await shell.waitFor('patchbay> ')).toContain('usage: --as USER [command]');
    await shell.end();
  });

  it('answers unknown words with a suggestion, and unknown families with the family list', async () => {
    const shell = start();
    shell.send('aprove X');
    expect(await shell.waitFor('patchbay> ')).toContain('Unknown command `aprove`. Did you mean `approve`?');
    shell.send('/ecco who');
    expect(await shell.waitFor('patchbay> ')).toContain('Unknown command `/ecco`. Did you mean `/echo`?');
    shell.send('/echo who "open');
    expect(await shell.waitFor('patchbay> ')).toContain('unterminated " quote at column 11'); // counted in the whole line typed
    shell.send('reject ABC');
    expect(await shell.waitFor('patchbay> ')).toContain('say why: reject ID <reason>');
    await shell.end();
  });

  it('lists the families and its own commands on help', async () => {
    const shell = start();
    shell.send('help');
    const text = await shell.waitFor('patchbay> ');
    expect(text).toContain('/echo who');
    expect(text).toContain('approve ID [reason]');
    expect(text).toContain('exit | quit');
    await shell.end();
  });

  it('ends on exit, ignoring what follows', async () => {
    const shell = start();
    shell.send('exit');
    await shell.done;
    shell.send('/echo who');
    expect(shell.since()).toBe('');
  });

  it('ends on EOF (Ctrl-D, or the end of a piped script)', async () => {
    const shell = start();
    shell.send('/echo who');
    await shell.end();
    expect(shell.output()).toContain('alice via shell');
  });
});
