import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatRegistry } from '../../../src/chat/families.js';
import type { ChatContext, ChatReply } from '../../../src/chat/types.js';
import { openPolicy } from '../../../src/policy/policy.js';
import { ASSETS_PAGE_ACTION_ID } from '../../../src/slack/blocks/assets.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { driveShell } from '../../unit/shell/driver.js';
import { expectValidBlocks } from '../../unit/slack/blocks/validate.js';
import { Runs } from '../assets/support.js';
import { BOOT_MS, actor, member, textOf } from './support.js';

/**
 * `/assets show|list|impact|graph` through the chat registry, on a lineage recorded the way
 * the engine records it (recordTaskAssets per task run), on PGlite or PostgreSQL.
 */
const T = 'io.kestra.plugin.ee.assets';
const VM = 'windows-web-01';
type Node = Record<string, unknown>;

describe('/assets commands', () => {
  let engine: TestEngine;
  let context: ChatContext;
  const registry = createChatRegistry({ onError: (error) => { throw error; } });
  const assets = (text: string): Promise<ChatReply> => registry.dispatch({ family: 'assets', text, actor: actor('U0ALICE'), channel: 'C_OPS', surface: 'slack' }, context);
  const exec: Record<string, string> = {};

  beforeAll(async () => {
    engine = await createTestEngine({ worker: false });
    context = { service: engine.service };
    const runs = new Runs(engine.service.database);
    const vm = { id: VM };
    const steps = [
      { flowId: 'create-vm', actor: 'U0ALICE', assets: { outputs: [{ id: VM, type: `${T}.VM`, displayName: 'Windows web 01', metadata: { os: 'windows', cpu: 2 } }] } },
      { flowId: 'reserve-ip', actor: 'U0BOB', assets: { inputs: [vm], outputs: [{ id: 'ip-10.20.0.15', type: `${T}.VM.IP`, metadata: { vm: VM } }] } },
      { flowId: 'issue-certificate', actor: 'U0CAROL', assets: { inputs: [vm, { id: 'ip-10.20.0.15' }], outputs: [{ id: 'cert-web', type: `${T}.VM.Certificate`, metadata: { issuer: 'LetsEncrypt' } }] } },
      // The snapshot is also fed by the backup vault, so removing the VM does not orphan it.
      { flowId: 'snapshot', actor: 'U0BOB', assets: { inputs: [vm, { id: 'backup-vault' }], outputs: [{ id: 'snap-1', type: `${T}.Snapshot` }] } },
      { flowId: 'resize-vm', actor: 'cli-dave', assets: { outputs: [{ id: VM, metadata: { cpu: 4 } }] } },
      { flowId: 'lab', actor: 'U0ALICE', namespace: 'company.lab', assets: { outputs: Array.from({ length: 30 }, (_, i) => ({ id: `lab-${String(i).padStart(2, '0')}`, type: 'Lab', metadata: { os: 'linux' } })) } },
    ];
    for (const step of steps) exec[step.flowId] = (await runs.run(step)).executionId;
  }, BOOT_MS);
  afterAll(async () => engine?.close());

  it('shows the VM: metadata, downstream by type, history naming every run, status buttons', async () => {
    const reply = await assets(`show ${VM}`);
    expect(reply.kind).toBe('private');
    expectValidBlocks(reply.message.blocks);
    const text = textOf(reply);
    expect(text).toContain('Windows web 01\n');
    expect(text).toContain('os: windows\ncpu: 4');
    expect(text).toContain('*Downstream* — what depends on it: 3 within 3 hops');
    expect(text).toContain('*Snapshot* (1)\n• `snap-1` · direct');
    expect(text).toContain('*VM.Certificate* (1)\n• `cert-web` · direct · issuer=LetsEncrypt');
    expect(text).toContain('*VM.IP* (1)\n• `ip-10.20.0.15` · direct · vm=windows-web-01');
    for (const flow of ['create-vm', 'reserve-ip', 'issue-certificate', 'snapshot', 'resize-vm']) {
      expect(text).toContain(`\`company.infra.${flow}\` · execution \`${exec[flow]}\``);
    }
    expect(text).toMatch(/\*UPDATED\* .* by cli-dave · cpu 2 → 4/);
    expect(text).toMatch(/\*CREATED\* .* by <@U0ALICE>/);
    const buttons = (reply.message.blocks as unknown as Node[]).map((b) => b.accessory as Node | undefined).filter((a) => a?.action_id === 'execution_status');
    expect(buttons.map((b) => b!.value)).toEqual([exec['resize-vm'], exec.snapshot, exec['issue-certificate']]);
  });

  it('shows the certificate with its two upstreams, and honours depth', async () => {
    const text = textOf(await assets('show cert-web depth=1'));
    expect(text).toContain('*Upstream* — what it depends on: 2 within 1 hop');
    expect(text).toContain('• `ip-10.20.0.15` · direct');
    expect(text).toContain(`• \`${VM}\` — Windows web 01 · direct`);
    expect(textOf(await assets('show cert-web depth=99'))).toContain('depth must be an integer from 1 to 10');
  });

  it('answers an unknown id privately with the service’s "did you mean"', async () => {
    const reply = await assets('show windows-web');
    expect(reply.kind).toBe('private');
    expect(textOf(reply)).toBe('? no asset `windows-web`; did you mean `windows-web-01`?');
    expect(textOf(await assets('impact nothing-like-it'))).toBe('? no asset `nothing-like-it`');
  });

  it('lists by type, metadata and text, and pages with a button that re-dispatches', async () => {
    expect(textOf(await assets(`list type=${T}.Snapshot`))).toContain(`1 asset · type \`${T}.Snapshot\`\n*Snapshot* (1) \`${T}.Snapshot\`\n• \`snap-1\``);
    expect(textOf(await assets('list type=Snapshot'))).toContain('No assets match type `Snapshot`. Types match in full');
    const windows = textOf(await assets('list os=windows'));
    expect(windows).toContain(`• \`${VM}\` — Windows web 01`);
    expect(windows).not.toContain('lab-');
    expect(textOf(await assets('list cert'))).toContain('matching `cert`\n*VM.Certificate* (1)');

    const first = await assets('list type=Lab namespace=company.lab os=linux');
    expectValidBlocks(first.message.blocks);
    expect(textOf(first)).toContain('25 assets on this page · type `Lab` · namespace `company.lab` · `os=linux`');
    const button = ((first.message.blocks as unknown as Node[]).find((b) => b.block_id === 'paging')!.elements as Node[])[0]!;
    expect(button).toMatchObject({ action_id: ASSETS_PAGE_ACTION_ID, value: 'list type=Lab namespace=company.lab os=linux after=lab-24' });
    // What the Slack listener does with the click: the value is the family's text as it is.
    const second = textOf(await assets(button.value as string));
    expect(second).toContain('5 assets · type `Lab` · namespace `company.lab` · `os=linux` · after `lab-24`');
    expect(second).toContain('• `lab-25`');
    expect(second).not.toContain('• `lab-24`');
    expect(second).not.toContain('[Next page]');
  });

  it('reports the impact: everything downstream, orphaned ones flagged', async () => {
    const reply = await assets(`impact ${VM}`);
    expectValidBlocks(reply.message.blocks);
    const text = textOf(reply);
    expect(text).toContain('affects *3* assets downstream, *2* would be orphaned');
    expect(text).toMatch(/no upstream left outside this set: (`ip-10\.20\.0\.15`, `cert-web`|`cert-web`, `ip-10\.20\.0\.15`)\n/);
    expect(text).toContain('• `snap-1` · direct · still fed');
    expect(text).toContain('• `cert-web` · direct · ⚠ *orphaned*');
  });

  it('draws the graph as a PNG file reply with a caption', async () => {
    const reply = await assets(`graph ${VM} depth=1`);
    if (reply.kind !== 'file') throw new Error(`expected a file reply, got ${reply.kind}: ${textOf(reply)}`);
    expect(reply.filename).toBe('windows-web-01-lineage.png');
    expect(reply.title).toBe('Lineage of windows-web-01');
    expect([...reply.content.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(textOf(reply)).toBe(':frame_with_picture: Lineage of `windows-web-01`: 4 assets, 4 links, up to 1 hop each way.');
  }, 60_000);

  it('explains usage, help and typos', async () => {
    const help = textOf(await assets('help'));
    for (const usage of ['/assets show <id> [depth=N]', '/assets list [type=T] [namespace=N] [key=value …] [text]', '/assets impact <id> [depth=N]', '/assets graph <id> [depth=N]']) expect(help).toContain(usage);
    expect(textOf(await assets('shwo x'))).toContain('Did you mean `/assets show`?');
    expect(textOf(await assets('show'))).toContain('usage: /assets show <id> [depth=N]');
    expect(textOf(await assets(`show ${VM} deph=2`))).toContain('unknown option `deph=`');
  });

  it('has the shell write the graph under .patchbay/graphs of the current directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'patchbay-shell-graph-'));
    const cwd = process.cwd();
    process.chdir(dir);
    const shell = driveShell({ service: engine.service, user: 'alice', policy: openPolicy, membership: member });
    try {
      shell.send(`/assets graph ${VM} depth=1`);
      const out = await shell.waitFor(/Lineage of windows-web-01: \S+\.png/, 60_000);
      const file = path.join(dir, '.patchbay', 'graphs', 'windows-web-01-lineage.png');
      expect(out).toContain(`Lineage of windows-web-01: ${file}`);
      expect((await readFile(file)).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await shell.end();
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
