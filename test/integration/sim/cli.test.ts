import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finished, spawnPatchbay } from '../../support/cli-process.js';
import { cli } from '../../unit/cli/run-cli.js';

/** `patchbay sim` as operators run it: a real child process, stopped with a signal. */
let dir: string;
let children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'patchbay-sim-cli-'));
});

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; result: ReturnType<typeof finished>; firstLine: Promise<string> } {
  const child = spawnPatchbay(['sim', '--port', '0', '--task-delay', '0', ...args], { PATCHBAY_DATA_DIR: path.join(dir, 'data') });
  children.push(child);
  const result = finished(child);
  const firstLine = new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk) => {
      seen += chunk;
      const newline = seen.indexOf('\n');
      if (newline >= 0) resolve(seen.slice(0, newline));
    });
    child.on('exit', () => reject(new Error(`exited before printing a line; stdout: ${seen}`)));
  });
  firstLine.catch(() => undefined); // tests of failing starts never read it
  return { child, result, firstLine };
}

async function call(url: string, apiKey: string, ca: string, method: string, pathname: string, body?: unknown) {
  const agent = new Agent({ connect: { ca } });
  try {
    const reply = await request(`${url}${pathname}`, {
      method: method as 'GET',
      dispatcher: agent,
      headers: { 'x-ntnx-api-key': apiKey, 'ntnx-request-id': crypto.randomUUID(), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: reply.statusCode, body: (await reply.body.json()) as any };
  } finally {
    await agent.close();
  }
}

describe('patchbay sim', () => {
  it('prints one JSON line first, serves the seeded VMs with the --fault armed, publishes itself, and stops on SIGTERM', async () => {
    const vmsFile = path.join(dir, 'vms.yaml');
    writeFileSync(vmsFile, '- name: lab-01\n  cpu: 2\n  memory: 2GiB\n  categories: {Environment: Lab}\n- name: lab-02\n  powerState: OFF\n');
    const { child, result, firstLine } = start(['--json', '--no-guests', '--vms', vmsFile, '--fault', 'fail-task=CreateVm']);
    const info = JSON.parse(await firstLine);
    expect(info).toMatchObject({ url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/), apiKey: expect.any(String), clusterExtId: expect.any(String), drClusterExtId: expect.any(String) });
    expect(info.vms).toEqual([
      { name: 'lab-01', extId: expect.any(String), ip: null, sshPort: null, healthUrl: null },
      { name: 'lab-02', extId: expect.any(String), ip: null, sshPort: null, healthUrl: null },
    ]);
    const folder = path.join(dir, 'data', 'sim');
    const ca = readFileSync(path.join(folder, 'tls', 'ca.pem'), 'utf8');
    const vm = await call(info.url, info.apiKey, ca, 'GET', `/api/vmm/v4.0/ahv/config/vms/${info.vms[0].extId}`);
    expect(vm.body.data).toMatchObject({ name: 'lab-01', numSockets: 2, memorySizeBytes: 2 * 1024 ** 3, powerState: 'ON' });
    const created = await call(info.url, info.apiKey, ca, 'POST', '/api/vmm/v4.0/ahv/config/vms', { name: 'x' });
    expect(created.status).toBe(202);
    let task;
    do task = (await call(info.url, info.apiKey, ca, 'GET', `/api/prism/v4.0/config/tasks/${created.body.data.extId}`)).body.data;
    while (!['SUCCEEDED', 'FAILED'].includes(task.status));
    expect(task.status).toBe('FAILED');
    const published = JSON.parse(readFileSync(path.join(folder, 'endpoint.json'), 'utf8'));
    expect(published).toMatchObject({ pid: child.pid, defaults: { host: '127.0.0.1', port: Number(new URL(info.url).port), apiKey: info.apiKey, caCert: ca, source: 'built-in simulator' }, vms: ['lab-01', 'lab-02'] });

    const second = start(['--json', '--no-guests']);
    const refused = await second.result;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`already runs in process ${child.pid}`));

    child.kill('SIGTERM');
    const ended = await result;
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain(`api key    ${info.apiKey}`);
    expect(existsSync(path.join(folder, 'endpoint.json'))).toBe(false);
    expect(existsSync(path.join(folder, 'state.json'))).toBe(true);
  });

  it('runs guests: VMs that are ON report an address whose health endpoint answers', async () => {
    const { child, result, firstLine } = start(['--json', '--addressing', 'ports']);
    const info = JSON.parse(await firstLine);
    const web = info.vms.find((vm: { name: string }) => vm.name === 'prod-web-01');
    expect(web).toMatchObject({ ip: '127.0.0.1', sshPort: expect.any(Number), healthUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/health$/) });
    expect(info.vms.find((vm: { name: string }) => vm.name === 'finance-db-01').ip).toBeNull();
    expect((await fetch(web.healthUrl)).status).toBe(200);
    child.kill('SIGINT');
    expect((await result).code).toBe(0);
  });

  // Usage errors in-process (same runCli the binary calls; spawning costs seconds each).
  it.each([
    [['--fault', 'fail-task=MakeCoffee'], /fault 'fail-task=MakeCoffee': operation must be/],
    [['--fault', 'explode=x'], /unknown kind 'explode'/],
    [['--port', 'http'], /--port must be a whole number from 0 to 65535/],
    [['--addressing', 'magic'], /--addressing must be one of auto, loopback, ports/],
  ])('exits 2 on %j', async (args, pattern) => {
    const ended = await cli(['sim', '--port', '0', ...args], { env: { PATCHBAY_DATA_DIR: path.join(dir, 'data') } });
    expect(ended.code).toBe(2);
    expect(ended.stderr).toMatch(pattern);
  });

  it('exits 2 naming the file and the field of a bad --vms file', async () => {
    const vmsFile = path.join(dir, 'bad.yaml');
    writeFileSync(vmsFile, '- name: ok-01\n- name: bad-01\n  memory: lots\n');
    const env = { PATCHBAY_DATA_DIR: path.join(dir, 'data') };
    const ended = await cli(['sim', '--vms', vmsFile], { env });
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain(`--vms ${vmsFile}: [1].memory: "lots" is not a size`);
    writeFileSync(vmsFile, '- name: ok-01\n  colour: red\n');
    expect((await cli(['sim', '--vms', vmsFile], { env })).stderr).toMatch(/\[0\]: .*colour/);
    writeFileSync(vmsFile, '- name: ok-01\n- name: ok-01\n');
    expect((await cli(['sim', '--vms', vmsFile], { env })).stderr).toContain("[1].name: 'ok-01' appears twice");
    expect((await cli(['sim', '--vms', path.join(dir, 'missing.yaml')], { env })).stderr).toMatch(/missing\.yaml: cannot read it \(ENOENT\)/);
  });
});
