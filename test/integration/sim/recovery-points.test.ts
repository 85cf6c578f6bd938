import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/sim/index.js';
import { SimClient, detail } from './client.js';

const VMS = '/api/vmm/v4.0/ahv/config/vms';
const RPS = '/api/dataprotection/v4.0/config/recovery-points';
const GIB = 1024 ** 3;
let sim: Simulator;
let client: SimClient;

beforeAll(async () => {
  // Real guests on allocated ports (never the shared 127.0.0.N:22), reboots kept short.
  sim = await startSimulator({ guests: { addressing: 'ports', rebootMs: 100 } });
  client = new SimClient(sim);
});

afterAll(async () => {
  await client.close();
  await sim.stop();
});

const vmId = (name: string) => sim.vm(name)!.extId;

async function createRp(vmNames: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const task = await client.task('POST', RPS, { body: { name: `rp-${vmNames.join('-')}`, vmRecoveryPoints: vmNames.map((name) => ({ vmExtId: vmId(name) })), ...extra } });
  expect(task.status).toBe('SUCCEEDED');
  return detail(task, 'recoveryPointExtId')!;
}

/** Runs a command on a guest over SSH, verifying its host key against the fleet's known_hosts. */
function ssh(name: string, command: string): Promise<number> {
  const guest = sim.vm(name)!.simulatedGuest!;
  const line = sim.guests!.knownHosts().split('\n').find((text) => text && !text.startsWith('#'))!;
  const hostKey = line.split(' ')[2]!;
  return new Promise((resolve, reject) => {
    const connection = new Client();
    connection
      .on('ready', () => {
        connection.exec(command, (error, stream) => {
          if (error) return reject(error);
          stream.on('close', (code: number) => {
            connection.end();
            resolve(code);
          });
          stream.resume();
          stream.stderr.resume();
        });
      })
      .on('error', reject)
      .connect({ host: guest.ip, port: guest.sshPort, ...sim.guests!.credentials, hostVerifier: (key: Buffer) => key.toString('base64') === hostKey });
  });
}

async function health(name: string): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return (await fetch(sim.vm(name)!.simulatedGuest!.healthUrl)).status;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25)); // rebooting
    }
  }
}

describe('recovery points', () => {
  it('creates one for several VMs: completionDetails, entities, location on the main cluster', async () => {
    const task = await client.task('POST', RPS, {
      body: { name: 'pair', expirationTime: '2099-01-01T00:00:00Z', recoveryPointType: 'APPLICATION_CONSISTENT', vmRecoveryPoints: [{ vmExtId: vmId('prod-web-01') }, { vmExtId: vmId('finance-db-01') }] },
    });
    const rpExtId = detail(task, 'recoveryPointExtId');
    expect(task.entitiesAffected).toContainEqual(expect.objectContaining({ extId: rpExtId, rel: 'dataprotection:config:recovery-point' }));
    const reply = await client.call('GET', `${RPS}/${rpExtId}`);
    expect(reply.headers.etag).toBeDefined();
    expect(reply.body.data).toMatchObject({
      $objectType: 'dataprotection.v4.config.RecoveryPoint',
      name: 'pair',
      status: 'COMPLETE',
      recoveryPointType: 'APPLICATION_CONSISTENT',
      expirationTime: '2099-01-01T00:00:00.000Z',
      locationReferences: [{ locationExtId: sim.clusterExtId }],
    });
    expect(reply.body.data.vmRecoveryPoints.map((vmRp: { vmExtId: string }) => vmRp.vmExtId)).toEqual([vmId('prod-web-01'), vmId('finance-db-01')]);
    const vmRp = reply.body.data.vmRecoveryPoints[1];
    expect((await client.call('GET', `${RPS}/${rpExtId}/vm-recovery-points/${vmRp.extId}`)).body.data.vmExtId).toBe(vmId('finance-db-01'));
    const listed = await client.call('GET', `${RPS}?$filter=${encodeURIComponent(`vmRecoveryPoints/any(v: v/vmExtId eq '${vmId('finance-db-01')}')`)}`);
    expect(listed.body.data.map((rp: { extId: string }) => rp.extId)).toEqual([rpExtId]);
  });

  it.each([
    [{}, /^vmRecoveryPoints: is required/],
    [{ vmRecoveryPoints: [] }, /^vmRecoveryPoints: must list at least one VM/],
    [{ vmRecoveryPoints: [{ vmExtId: 'nope' }] }, /^vmRecoveryPoints\[0\]\.vmExtId: no VM with extId 'nope'/],
    [{ vmRecoveryPoints: [{}] }, /^vmRecoveryPoints\[0\]\.vmExtId: is required/],
    [{ vmRecoveryPoints: [{ vmExtId: 'x' }], recoveryPointType: 'FAST' }, /^recoveryPointType: must be one of CRASH_CONSISTENT/],
    [{ vmRecoveryPoints: [{ vmExtId: 'x' }], expirationTime: 'tomorrow' }, /^expirationTime: must be an RFC 3339 time/],
    [{ vmRecoveryPoints: [{ vmExtId: 'x' }], expirationTime: '2001-01-01T00:00:00Z' }, /^expirationTime: must be in the future/],
  ])('refuses %j with a 400 naming the field', async (body, pattern) => {
    const reply = await client.call('POST', RPS, { body });
    expect(reply.status).toBe(400);
    expect(reply.body.data.error[0]).toMatchObject({ $objectType: 'dataprotection.v4.error.AppMessage', code: 'DTP-30100' });
    expect(reply.body.data.error[0].message).toMatch(pattern);
  });

  it('replicates to the DR cluster: a copy with new ids, the same locationAgnosticId', async () => {
    const source = await createRp(['uat-web-01']);
    const task = await client.task('POST', `${RPS}/${source}/$actions/replicate`, { body: { clusterExtId: sim.drClusterExtId } });
    const replicaId = detail(task, 'recoveryPointExtId')!;
    expect(replicaId).not.toBe(source);
    const [original, replica] = await Promise.all([source, replicaId].map(async (id) => (await client.call('GET', `${RPS}/${id}`)).body.data));
    expect(replica.locationReferences).toEqual([expect.objectContaining({ locationExtId: sim.drClusterExtId })]);
    expect(replica.locationAgnosticId).toBe(original.locationAgnosticId);
    expect(replica.vmRecoveryPoints[0].extId).not.toBe(original.vmRecoveryPoints[0].extId);
    const onDr = await client.call('GET', `${RPS}?$filter=${encodeURIComponent(`locationReferences/any(l: l/locationExtId eq '${sim.drClusterExtId}')`)}`);
    expect(onDr.body.data.map((rp: { extId: string }) => rp.extId)).toContain(replicaId);
    const same = await client.call('POST', `${RPS}/${replicaId}/$actions/replicate`, { body: { clusterExtId: sim.drClusterExtId } });
    expect(same.body.data.error[0].message).toMatch(/^clusterExtId: .* already located on cluster/);
    const unknown = await client.call('POST', `${RPS}/${source}/$actions/replicate`, { body: { clusterExtId: 'mars' } });
    expect(unknown.body.data.error[0].message).toMatch(/^clusterExtId: no cluster with extId 'mars'/);
  });

  it('restores to a new VM (OFF) with the captured configuration; vmExtIds in completionDetails', async () => {
    const rp = await createRp(['finance-db-01']);
    const task = await client.task('POST', `${RPS}/${rp}/$actions/restore`, { body: { clusterExtId: sim.drClusterExtId } });
    const [newVm] = detail(task, 'vmExtIds')!.split(',');
    const vm = (await client.call('GET', `${VMS}/${newVm}`)).body.data;
    expect(vm).toMatchObject({ name: 'finance-db-01-restored', powerState: 'OFF', memorySizeBytes: 32 * GIB, cluster: { extId: sim.drClusterExtId } });
    expect(vm.nics[0].extId).not.toBe(sim.vm('finance-db-01')!.nics[0]!.extId);
  });

  it('changes the expiry and deletes', async () => {
    const rp = await createRp(['scratch-vm-01']);
    await client.task('POST', `${RPS}/${rp}/$actions/set-expiration-time`, { body: { expirationTime: '2098-05-05T05:05:05Z' } });
    expect(sim.recoveryPoints().find((point) => point.extId === rp)!.vmRecoveryPoints[0]!.expirationTime).toBe('2098-05-05T05:05:05.000Z');
    const stale = await client.call('DELETE', `${RPS}/${rp}`, { headers: { 'if-match': 'old' } });
    expect(stale.status).toBe(412);
    expect((await client.task('DELETE', `${RPS}/${rp}`)).status).toBe('SUCCEEDED');
    expect((await client.call('GET', `${RPS}/${rp}`)).body.data.error[0].code).toBe('DTP-20005');
  });
});

describe('revert in place', () => {
  it('puts back the configuration captured by the recovery point (with If-Match)', async () => {
    const extId = vmId('scratch-vm-01');
    const rp = await createRp(['scratch-vm-01']);
    const vmRp = sim.recoveryPoints().find((point) => point.extId === rp)!.vmRecoveryPoints[0]!.extId;
    const current = await client.call('GET', `${VMS}/${extId}`);
    await client.task('PUT', `${VMS}/${extId}`, { body: { ...current.body.data, numSockets: 6 }, headers: { 'if-match': String(current.headers.etag) } });
    expect(sim.vm(extId)!.numSockets).toBe(6);
    expect((await client.call('POST', `${VMS}/${extId}/$actions/revert`, { body: { vmRecoveryPointExtId: vmRp } })).status).toBe(428);
    const task = await client.task('POST', `${VMS}/${extId}/$actions/revert`, { body: { vmRecoveryPointExtId: vmRp }, headers: { 'if-match': await client.etag(extId) } });
    expect(task).toMatchObject({ status: 'SUCCEEDED', operation: 'RevertVm' });
    expect(detail(task, 'VM Recovery Point UUID')).toBe(vmRp);
    expect(sim.vm(extId)!.numSockets).toBe(1);
  });

  it('accepts the recovery point extId when it holds the VM, refuses a point of another VM', async () => {
    const rp = await createRp(['uat-web-01']);
    const own = await client.task('POST', `${VMS}/${vmId('uat-web-01')}/$actions/revert`, { body: { vmRecoveryPointExtId: rp }, headers: { 'if-match': await client.etag(vmId('uat-web-01')) } });
    expect(own.status).toBe('SUCCEEDED');
    const other = await client.call('POST', `${VMS}/${vmId('prod-web-01')}/$actions/revert`, { body: { vmRecoveryPointExtId: rp }, headers: { 'if-match': await client.etag(vmId('prod-web-01')) } });
    expect(other.status).toBe(400);
    expect(other.body.data.error[0].message).toMatch(/^vmRecoveryPointExtId: recovery point .* does not hold VM prod-web-01/);
    const uatVmRp = sim.recoveryPoints().find((point) => point.extId === rp)!.vmRecoveryPoints[0]!.extId;
    const direct = await client.call('POST', `${VMS}/${vmId('prod-web-01')}/$actions/revert`, { body: { vmRecoveryPointExtId: uatVmRp }, headers: { 'if-match': await client.etag(vmId('prod-web-01')) } });
    expect(direct.body.data.error[0].message).toMatch(/^vmRecoveryPointExtId: .* is a recovery point of VM .*, not of prod-web-01/);
    const unknown = await client.call('POST', `${VMS}/${vmId('prod-web-01')}/$actions/revert`, { body: { vmRecoveryPointExtId: 'nope' }, headers: { 'if-match': await client.etag(vmId('prod-web-01')) } });
    expect(unknown.status).toBe(404);
  });

  it('brings a guest broken by a bad patch back to health', async () => {
    expect(sim.vm('prod-web-01')!.nics[0]!.networkInfo.ipv4Info!.learnedIpAddresses[0]!.value).toBe(sim.vm('prod-web-01')!.simulatedGuest!.ip);
    expect(await health('prod-web-01')).toBe(200);
    const rp = await createRp(['prod-web-01']);
    sim.faults.inject('bad-patch=prod-web-01');
    expect(await ssh('prod-web-01', 'sudo apt-get update && sudo apt-get upgrade -y')).toBe(0);
    expect(await health('prod-web-01')).toBe(500);
    const extId = vmId('prod-web-01');
    const task = await client.task('POST', `${VMS}/${extId}/$actions/revert`, { body: { vmRecoveryPointExtId: rp }, headers: { 'if-match': await client.etag(extId) } });
    expect(task.status).toBe('SUCCEEDED');
    expect(await health('prod-web-01')).toBe(200);
    const state = (await client.call('GET', '/_sim/state')).body.data.vms.find((vm: { name: string }) => vm.name === 'prod-web-01');
    expect(state.guestState.broken).toBe(false);
    sim.faults.clear();
  });
});
