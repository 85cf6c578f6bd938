import { describe, expect, it, vi } from 'vitest';
import { defineFamily, didYouMean } from '../../../src/chat/family.js';
import { CommandRegistry } from '../../../src/chat/registry.js';
import { privateReply } from '../../../src/chat/replies.js';
import type { ChatContext, ChatReply, ChatRequest, CommandFamily } from '../../../src/chat/types.js';
import { ErrorCode, PatchbayError } from '../../../src/errors.js';
import type { PatchbayService } from '../../../src/service/service.js';
import { blocksToText } from '../../../src/slack/blocks/blocks-to-text.js';

/** Routing only: families here are fakes, so no database is needed. */
const context: ChatContext = { service: {} as PatchbayService };
const request = (family: string, text: string): ChatRequest => ({ family, text, actor: { id: 'U1' }, channel: 'C1', surface: 'slack' });
const text = (reply: ChatReply): string => blocksToText(reply.message.blocks);

const seen: unknown[] = [];
const echo = defineFamily({
  name: 'echo',
  subcommands: [
    {
      name: 'say',
      usage: '/echo say <words> [k=v]',
      description: 'repeats',
      async run(args) {
        seen.push(args);
        return privateReply(`said ${args.positionals.join(' ')}`);
      },
    },
    { name: 'fail', usage: '/echo fail', description: 'fails', run: async () => { throw new PatchbayError(ErrorCode.NOT_FOUND, 'no such <thing>'); } },
    { name: 'crash', usage: '/echo crash', description: 'crashes', run: async () => { throw new Error('SELECT secret FROM x'); } },
  ],
});

describe('CommandRegistry', () => {
  const onError = vi.fn();
  const registry = new CommandRegistry([echo], { onError });

  it('dispatches to the family and its sub-command with parsed arguments', async () => {
    const reply = await registry.dispatch(request('/Echo', 'say hello "big world" k=v'), context);
    expect(text(reply)).toBe('said hello big world');
    expect(seen.at(-1)).toMatchObject({ positionals: ['hello', 'big world'], pairs: { k: 'v' }, rest: 'hello "big world" k=v' });
  });

  it('answers help and an empty line with the family help', async () => {
    for (const line of ['', 'help', '  HELP ']) {
      const out = text(await registry.dispatch(request('echo', line), context));
      expect(out).toContain('/echo commands');
      expect(out).toContain('/echo say <words> [k=v]');
    }
  });

  it('suggests the closest sub-command, with the help', async () => {
    const reply = await registry.dispatch(request('echo', 'sya hi'), context);
    expect(reply.kind).toBe('private');
    expect(text(reply)).toMatch(/Unknown command `\/echo sya`\. Did you mean `\/echo say`\?/);
    expect(text(reply)).toContain('/echo fail');
  });

  it('does not suggest something unrelated', async () => {
    expect(text(await registry.dispatch(request('echo', 'zzzzzzzz'), context))).not.toContain('Did you mean');
  });

  it('suggests the closest family for an unknown one', async () => {
    const reply = await registry.dispatch(request('/ecko', 'say'), context);
    expect(text(reply)).toMatch(/Unknown command `\/ecko`\. Did you mean `\/echo`\?/);
  });

  it('turns a quoting mistake into a private reply naming the column', async () => {
    expect(text(await registry.dispatch(request('echo', 'say "open'), context))).toContain('unterminated " quote at column 5');
  });

  it('shows user-facing errors escaped, and hides internal ones (logged instead)', async () => {
    expect(text(await registry.dispatch(request('echo', 'fail'), context))).toContain('no such <thing>');
    expect((await registry.dispatch(request('echo', 'fail'), context)).message.blocks[0]).toMatchObject({ text: { text: expect.stringContaining('&lt;thing&gt;') } });
    const crash = text(await registry.dispatch(request('echo', 'crash'), context));
    expect(crash).not.toContain('SELECT');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'SELECT secret FROM x' }), expect.objectContaining({ family: 'echo' }));
  });

  it('adds a family in one line and refuses a second of the same name', async () => {
    const assets: CommandFamily = { name: 'assets', help: [{ usage: '/assets show <id>', description: 'an asset' }], handle: async () => privateReply('asset!') };
    const more = new CommandRegistry([echo]).register(assets);
    expect(text(await more.dispatch(request('assets', 'show x'), context))).toBe('asset!');
    expect(more.names()).toEqual(['echo', 'assets']);
    expect(blocksToText(more.help().blocks)).toContain('/assets show <id>');
    expect(() => more.register(assets)).toThrow('registered twice');
  });
});

describe('didYouMean', () => {
  it.each([
    ['rn', ['run', 'list'], 'run'],
    ['lsit', ['run', 'list'], 'list'],
    ['approvls', ['approvals', 'kill'], 'approvals'],
    ['xyz', ['run', 'list'], undefined],
    ['', ['run'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });
});
