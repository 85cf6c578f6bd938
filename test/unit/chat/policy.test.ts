import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatActor } from '../../../src/chat/types.js';
import { loadConfig } from '../../../src/config.js';
import { loadPolicy, parsePolicy } from '../../../src/policy/load.js';
import { matchesGlob } from '../../../src/policy/glob.js';
import { openPolicy } from '../../../src/policy/policy.js';

/** The policy file decides access: its rules and its error messages are both part of the contract. */
const actor = (id: string, groups: string[] = []): ChatActor => ({ id, isMember: async (g) => groups.includes(g) });
const ops = { namespace: 'company.ops', id: 'restart-vm' };
const sandbox = { namespace: 'company.sandbox', id: 'hello' };

const policy = parsePolicy(
  `
run:
  - flows: ["company.ops.*"]
    users: [alice]
    groups: [sre]
    channels: [C_OPS]
  - flows: ["company.sandbox.*", "demo.?x"]
    anyone: true
kill:
  - flows: ["company.ops.*"]
    groups: [sre]
    requester: true
`,
  'policy.yaml',
);

describe('policy rules', () => {
  it('lets listed users, group members and channels run matching flows', async () => {
    expect(await policy.mayRun(actor('alice'), ops, 'C_ANY')).toBe(true);
    expect(await policy.mayRun(actor('bob', ['sre']), ops, 'C_ANY')).toBe(true);
    expect(await policy.mayRun(actor('carol'), ops, 'C_OPS')).toBe(true);
    expect(await policy.mayRun(actor('carol'), ops, 'C_ANY')).toBe(false);
    expect(await policy.mayRun({ id: 'carol' }, ops, 'C_ANY')).toBe(false); // no membership lookup: in no group
  });

  it('matches globs over namespace.flowId, `*` spanning dots', async () => {
    expect(matchesGlob('company.ops.*', 'company.ops.linux.patch')).toBe(true);
    expect(matchesGlob('company.ops.*', 'company.opsx.patch')).toBe(false);
    expect(matchesGlob('demo.?x', 'demo.ax')).toBe(true);
    expect(matchesGlob('a+b.(c)', 'a+b.(c)')).toBe(true); // regex characters are literal
    expect(await policy.mayRun(actor('anyone'), sandbox, 'C')).toBe(true);
    expect(await policy.mayRun(actor('alice'), { namespace: 'company.prod', id: 'x' }, 'C')).toBe(false);
  });

  it('uses kill rules for kills, including the requester', async () => {
    const execution = { namespace: 'company.ops', flowId: 'restart-vm', createdBy: 'dave' };
    expect(await policy.mayKill(actor('bob', ['sre']), execution, 'C')).toBe(true);
    expect(await policy.mayKill(actor('dave'), execution, 'C')).toBe(true);
    expect(await policy.mayKill(actor('alice'), execution, 'C')).toBe(false); // may run, not kill
  });

  it('falls back to the run rules for kills when there is no kill section', async () => {
    const runOnly = parsePolicy('run:\n  - flows: ["company.ops.*"]\n    users: [alice]\n', 'p.yaml');
    expect(await runOnly.mayKill(actor('alice'), { namespace: 'company.ops', flowId: 'x' }, 'C')).toBe(true);
    expect(await runOnly.mayKill(actor('bob'), { namespace: 'company.ops', flowId: 'x' }, 'C')).toBe(false);
  });

  it('is open without a file, and an empty file, and closed with `run: []`', async () => {
    expect(await loadPolicy(undefined)).toBe(openPolicy);
    expect(await parsePolicy('', 'p.yaml').mayRun(actor('x'), ops, 'C')).toBe(true);
    expect(await parsePolicy('run: []', 'p.yaml').mayRun(actor('x'), ops, 'C')).toBe(false);
  });
});

describe('policy file errors', () => {
  const problems = (text: string): string => {
    try {
      parsePolicy(text, 'policy.yaml');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a problem');
  };

  it('names FILE:field and the line for every problem at once', () => {
    const message = problems(['run:', '  - flows: "company.*"', '    users: [alice]', '  - flows: ["x"]', '    user: [bob]', 'kil: []'].join('\n'));
    expect(message).toContain('policy.yaml:run[0].flows: expected a list of globs such as "company.ops.*" (line 2)');
    expect(message).toContain('policy.yaml:run[1].user: unknown field (did you mean `users`?) (line 5)');
    expect(message).toContain('policy.yaml:kil: unknown field');
  });

  it('requires each rule to say who it is for', () => {
    expect(problems('run:\n  - flows: ["a.*"]\n')).toContain('policy.yaml:run[0]: say who the rule is for');
  });

  it('keeps `requester` to kill rules', () => {
    expect(problems('run:\n  - flows: ["a.*"]\n    requester: true\n')).toContain('policy.yaml:run[0].requester: only kill rules may name the requester');
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problems('run:\n  - flows: [a\n')).toMatch(/policy\.yaml: line \d+:/);
  });

  it('is read from PATCHBAY_POLICY_FILE (resolved against the working directory)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'patchbay-policy-'));
    try {
      await writeFile(path.join(dir, 'policy.yaml'), 'run:\n  - flows: ["*"]\n    users: [alice]\n');
      const config = loadConfig({ PATCHBAY_POLICY_FILE: 'policy.yaml' }, dir);
      expect(config.policyFile).toBe(path.join(dir, 'policy.yaml'));
      const loaded = await loadPolicy(config.policyFile);
      expect(loaded.file).toBe(config.policyFile);
      expect(await loaded.mayRun(actor('bob'), ops, 'C')).toBe(false);
      await expect(loadPolicy(path.join(dir, 'missing.yaml'))).rejects.toThrow(/PATCHBAY_POLICY_FILE .*missing\.yaml/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
