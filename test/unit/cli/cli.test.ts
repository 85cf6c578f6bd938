import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowJsonSchemaText } from '../../../src/flow/json-schema.js';
import { cli } from './run-cli.js';

const repo = path.resolve(import.meta.dirname, '../../..');
const bad = ['id: demo', 'namespace: company.ops', 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Logg', '    message: x', ''].join('\n');

describe('patchbay validate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-cli-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('accepts the shipped flows (default folder)', async () => {
    const result = await cli(['validate'], { cwd: repo });
    expect(result.stdout).toContain('ok company.ops.hello-patchbay (flows/hello-patchbay.yaml)');
    expect(result.code).toBe(0);
  });

  it('prints FILE:LINE:COL: message per problem and exits 1', async () => {
    await writeFile(path.join(dir, 'bad.yaml'), bad);
    const result = await cli(['validate', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      'bad.yaml:5:11: unknown task type `io.kestra.plugin.core.log.Logg`; did you mean `io.kestra.plugin.core.log.Log`?',
    ]);
  });

  it('reads PATCHBAY_FLOWS_DIR when no path is given', async () => {
    await writeFile(path.join(dir, 'bad.yaml'), bad);
    const result = await cli(['validate'], { cwd: repo, env: { PATCHBAY_FLOWS_DIR: dir } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('bad.yaml:5:11:');
  });

  it('treats unknown options as usage errors (exit 2, stderr)', async () => {
    const result = await cli(['validate', '--strict-ish']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/validate: Unknown option '--strict-ish'/);
  });
});

describe('patchbay eval', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-eval-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('renders against a JSON context, keeping types', async () => {
    await writeFile(path.join(dir, 'ctx.json'), JSON.stringify({ inputs: { vm: 'Prod Web 01', n: 2 } }));
    expect((await cli(['eval', '{{ inputs.vm | slugify }}', '--context', 'ctx.json'], { cwd: dir })).stdout).toBe('prod-web-01\n');
    expect((await cli(['eval', '{{ [inputs.n, inputs.n * 2] }}', '--context', 'ctx.json'], { cwd: dir })).stdout).toBe('[2,4]\n');
  });

  it('exits 1 with the reason on a bad expression', async () => {
    const result = await cli(['eval', '{{ inputs.nope }}']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/variable `inputs` is not defined in `\{\{ inputs\.nope \}\}`/);
  });

  it('reads secrets from SECRET_* (base64) and masks them in what it prints', async () => {
    const env = { SECRET_DB_PASSWORD: Buffer.from('hunter2').toString('base64') };
    const result = await cli(['eval', "pw={{ secret('DB_PASSWORD') }} len={{ secret('DB_PASSWORD') | length }}"], { env });
    expect(result.stdout).toBe('pw=****** len=7\n');
    const missing = await cli(['eval', "{{ secret('NOPE') }}"]);
    expect(missing.stderr).toMatch(/NOPE/);
  });

  it('refuses a missing template or unreadable context with exit 2', async () => {
    expect((await cli(['eval'])).code).toBe(2);
    const result = await cli(['eval', '{{ 1 }}', '--context', 'nope.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read --context nope.json');
  });
});

describe('patchbay schema', () => {
  it('prints the JSON Schema, identical to the shipped schema/flow.schema.json', async () => {
    const result = await cli(['schema']);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['id', 'namespace', 'tasks', 'inputs', 'triggers', 'pluginDefaults']));
    expect(result.stdout).toContain('io.kestra.plugin.core.log.Log');
    expect(await readFile(path.join(repo, 'schema/flow.schema.json'), 'utf8')).toBe(flowJsonSchemaText());
  });
});

describe('the patchbay binary', () => {
  it('runs through npx-style bin with exit codes', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, [path.join(repo, 'bin/patchbay.js'), 'eval', '{{ 20 + 22 }}']);
    expect(ok.stdout).toBe('42\n');
    await expect(run(process.execPath, [path.join(repo, 'bin/patchbay.js'), 'no-such-command'])).rejects.toMatchObject({ code: 2 });
  });
});
