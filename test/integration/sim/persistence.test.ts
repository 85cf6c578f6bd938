import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/sim/index.js';
import { SimClient, detail } from './client.js';

const VMS = '/api/vmm/v4.0/ahv/config/vms';
let dir: string;
const open: { sim: Simulator; client: SimClient }[] = [];

async function start(options: Parameters<typeof startSimulator>[0] = {}) {
  const sim = await startSimulator({ stateDir: dir, guests: false, ...options });
  const client = new SimClient(sim);
  open.push({ sim, client });
  return { sim, client };
}

async function stop(entry: { sim: Simulator; client: SimClient }) {
  await entry.client.close();
  await entry.sim.stop();
  open.splice(open.indexOf(entry), 1);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'patchbay-sim-'));
});

afterEach(async () => {
  for (const entry of [...open]) await stop(entry);
  rmSync(dir, { recursive: true, force: true });
});

describe('state folder', () => {
  it('keeps VMs, recovery points, credentials, cluster ids, the CA and request ids across restarts', async () => {
    const first = await start();
    const requestId = randomUUID();
    const created = await first.client.call('POST', VMS, { body: { name: 'persist-01' }, requestId });
    await first.client.waitTask(created.body.data.extId);
    const rpTask = await first.client.task('POST', '/api/dataprotection/v4.0/config/recovery-points', { body: { vmRecoveryPoints: [{ vmExtId: first.sim.vm('persist-01')!.extId }] } });
    const before = { apiKey: first.sim.apiKey, password: first.sim.password, caCert: first.sim.caCert, cluster: first.sim.clusterExtId, dr: first.sim.drClusterExtId, vm: first.sim.vm('persist-01')!.extId };
    await stop(first);

    const second = await start();
    expect({ apiKey: second.sim.apiKey, password: second.sim.password, caCert: second.sim.caCert, cluster: second.sim.clusterExtId, dr: second.sim.drClusterExtId, vm: second.sim.vm('persist-01')?.extId }).toEqual(before);
    expect(second.sim.recoveryPoints().map((rp) => rp.extId)).toEqual([detail(rpTask, 'recoveryPointExtId')]);
    expect(second.sim.vms()).toHaveLength(6); // seeded once, not again
    const replay = await second.client.call('POST', VMS, { body: { name: 'persist-01' }, requestId });
    expect(replay.body.data.extId).toBe(created.body.data.extId);
    expect(second.sim.vms().filter((vm) => vm.name === 'persist-01')).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'tls']);
    expect(readdirSync(path.join(dir, 'tls')).sort()).toEqual(['ca-key.pem', 'ca.pem', 'server-key.pem', 'server.pem']);
  });

  it('finishes a task that was still running when the simulator stopped', async () => {
    const first = await start({ taskDelayMs: 400 });
    const extId = first.sim.vm('prod-web-01')!.extId;
    const reply = await first.client.call('POST', `${VMS}/${extId}/$actions/power-off`);
    await stop(first);
    expect(first.sim.tasks()[0]!.status).not.toBe('SUCCEEDED');

    const second = await start({ taskDelayMs: 0 });
    expect((await second.client.waitTask(reply.body.data.extId)).status).toBe('SUCCEEDED');
    expect(second.sim.vm(extId)!.powerState).toBe('OFF');
  });

  it('adds seed VMs by name to an existing state, and seeds only those in a new one', async () => {
    const first = await start({ vms: [{ name: 'only-01', cpu: 3, categories: ['Team:Blue'] }] });
    expect(first.sim.vms().map((vm) => vm.name)).toEqual(['only-01']);
    expect(first.sim.vm('only-01')).toMatchObject({ numSockets: 3, powerState: 'ON', categories: [{ extId: expect.any(String) }] });
    await stop(first);
    const second = await start({ vms: [{ name: 'only-01' }, { name: 'added-01', powerState: 'OFF' }] });
    expect(second.sim.vms().map((vm) => [vm.name, vm.numSockets, vm.powerState])).toEqual([['only-01', 3, 'ON'], ['added-01', 1, 'OFF']]);
  });

  it('refuses a state file it cannot read, naming it', async () => {
    writeFileSync(path.join(dir, 'state.json'), '{"version": 7}');
    await expect(startSimulator({ stateDir: dir, guests: false })).rejects.toThrow(`simulator state ${path.join(dir, 'state.json')} is not a version 1 simulator state`);
    writeFileSync(path.join(dir, 'state.json'), '{oops');
    await expect(startSimulator({ stateDir: dir, guests: false })).rejects.toThrow(/is not valid JSON/);
  });
});

describe('stop', () => {
  it('closes the API and every guest it started, and keeps what the guests held', async () => {
    const entry = await start({ guests: { addressing: 'ports', rebootMs: 50 } });
    const guest = entry.sim.vm('prod-web-01')!.simulatedGuest!;
    expect((await fetch(guest.healthUrl)).status).toBe(200);
    const { url } = entry.sim;
    await stop(entry);
    await expect(fetch(guest.healthUrl)).rejects.toThrow();
    const agent = new Agent({ connect: { ca: entry.sim.caCert } });
    try {
      await expect(request(`${url}${VMS}`, { dispatcher: agent })).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await agent.close();
    }
    const again = await start({ guests: { addressing: 'ports', rebootMs: 50 } });
    expect(again.sim.vm('prod-web-01')!.simulatedGuest).toBeDefined(); // ON VMs come back with their guests
  });
});

describe('TLS', () => {
  it('is verified: a client without the CA is refused, with it 127.0.0.1 and localhost both verify', async () => {
    const { sim } = await start({ apiKey: 'k1' });
    const plain = new Agent();
    try {
      await expect(request(`${sim.url}${VMS}`, { dispatcher: plain, headers: { 'x-ntnx-api-key': 'k1' } })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
    } finally {
      await plain.close();
    }
    const trusting = new Agent({ connect: { ca: sim.caCert } });
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const reply = await request(`https://${host}:${sim.port}${VMS}`, { dispatcher: trusting, headers: { 'x-ntnx-api-key': 'k1' } });
        expect(reply.statusCode).toBe(200);
        await reply.body.text();
      }
    } finally {
      await trusting.close();
    }
    expect(sim.connection()).toEqual({ host: '127.0.0.1', port: sim.port, apiKey: 'k1', username: 'admin', password: sim.password, caCert: sim.caCert, source: 'built-in simulator' });
  });

  it('a fresh in-memory simulator has its own CA', async () => {
    const a = await startSimulator({ guests: false });
    const b = await startSimulator({ guests: false });
    try {
      expect(a.caCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(a.caCert).not.toBe(b.caCert);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
