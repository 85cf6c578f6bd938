import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/sim/index.js';
import { SimClient } from './client.js';

const VMS = '/api/vmm/v4.0/ahv/config/vms';
const TASKS = '/api/prism/v4.0/config/tasks';
let sim: Simulator;
let client: SimClient;

beforeAll(async () => {
  sim = await startSimulator({ guests: false, faults: ['fail-call=ListClusters:502'] });
  client = new SimClient(sim);
});

afterEach(() => sim.faults.clear());

afterAll(async () => {
  await client.close();
  await sim.stop();
});

const vmId = (name: string) => sim.vm(name)!.extId;

describe('faults given at start', () => {
  // First in the file: afterEach clears every fault.
  it('fail the first call of the operation', async () => {
    const clusters = await client.call('GET', '/api/clustermgmt/v4.0/config/clusters');
    expect(clusters.status).toBe(502);
    expect(clusters.body.data.$objectType).toBe('clustermgmt.v4.error.ErrorResponse');
    expect((await client.call('GET', '/api/clustermgmt/v4.0/config/clusters')).status).toBe(200);
  });
});

describe('tasks', () => {
  it('go QUEUED → RUNNING with growing progress → SUCCEEDED, the work happening at the end', async () => {
    sim.faults.inject('slow-task=PowerOffVm:600');
    const extId = vmId('uat-web-01');
    const reply = await client.call('POST', `${VMS}/${extId}/$actions/power-off`);
    expect(reply.status).toBe(202);
    expect(reply.body.data).toMatchObject({ $objectType: 'prism.v4.config.TaskReference', extId: expect.stringMatching(/^ZXJnb24=:[0-9a-f-]{36}$/) });
    const taskId = reply.body.data.extId;
    const first = (await client.call('GET', `${TASKS}/${encodeURIComponent(taskId)}`)).body.data;
    expect(first.status).toBe('QUEUED');
    expect(first.entitiesAffected).toEqual([expect.objectContaining({ extId, rel: 'vmm:ahv:config:vm' })]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const middle = (await client.call('GET', `${TASKS}/${taskId}`)).body.data;
    expect(middle.status).toBe('RUNNING');
    expect(middle.progressPercentage).toBeGreaterThan(10);
    expect(middle.progressPercentage).toBeLessThan(100);
    expect(sim.vm(extId)!.powerState).toBe('ON');
    const done = await client.waitTask(taskId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', progressPercentage: 100, completedTime: expect.any(String) });
    expect(sim.vm(extId)!.powerState).toBe('OFF');
  });

  it('lists tasks with $filter', async () => {
    const reply = await client.call('GET', `${TASKS}?$filter=${encodeURIComponent("operation eq 'PowerOffVm' and status eq 'SUCCEEDED'")}`);
    expect(reply.body.data.length).toBeGreaterThanOrEqual(1);
    expect(reply.body.data.every((task: { operation: string }) => task.operation === 'PowerOffVm')).toBe(true);
  });

  it('can be canceled while running, and not after', async () => {
    sim.faults.inject('slow-task=PowerOnVm:5000:1');
    const extId = vmId('uat-web-01');
    const reply = await client.call('POST', `${VMS}/${extId}/$actions/power-on`);
    const taskId = reply.body.data.extId;
    expect((await client.call('POST', `${TASKS}/${taskId}/$actions/cancel`)).status).toBe(202);
    expect((await client.waitTask(taskId)).status).toBe('CANCELED');
    expect(sim.vm(extId)!.powerState).toBe('OFF');
    expect((await client.call('POST', `${TASKS}/${taskId}/$actions/cancel`)).status).toBe(409);
  });
});

describe('injected faults', () => {
  it('fail-task: the next task ends FAILED with the Prism error and changes nothing; the one after succeeds', async () => {
    sim.faults.inject({ kind: 'fail-task', operation: 'CreateVm', code: 'VMM-30999', message: 'Cluster out of memory' });
    const failed = await client.task('POST', VMS, { body: { name: 'never-01' } });
    expect(failed).toMatchObject({ status: 'FAILED', legacyErrorMessage: 'Cluster out of memory' });
    expect(failed.errorMessages).toEqual([expect.objectContaining({ $objectType: 'prism.v4.error.AppMessage', code: 'VMM-30999', message: 'Cluster out of memory', severity: 'ERROR' })]);
    expect(sim.vm('never-01')).toBeUndefined();
    expect((await client.task('POST', VMS, { body: { name: 'later-01' } })).status).toBe('SUCCEEDED');
  });

  it('fail-call at run time: 5xx with a v4 error, N times', async () => {
    sim.faults.inject('fail-call=GetVm:503:2');
    const path = `${VMS}/${vmId('prod-web-01')}`;
    const failure = await client.call('GET', path);
    expect(failure.status).toBe(503);
    expect(failure.body.data.error[0]).toMatchObject({ code: 'VMM-50300', errorGroup: 'INJECTED_FAULT' });
    expect((await client.call('GET', path)).status).toBe(503);
    expect((await client.call('GET', path)).status).toBe(200);
  });

  it('delay-call holds the answer back', async () => {
    sim.faults.inject('delay-call=ListVms:300');
    const started = Date.now();
    expect((await client.call('GET', VMS)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('drop-response: the operation happens, the answer never comes, and a retry with the same request id gets the same task', async () => {
    sim.faults.inject('drop-response=CreateRecoveryPoint');
    const requestId = randomUUID();
    const body = { name: 'crash-rp', vmRecoveryPoints: [{ vmExtId: vmId('prod-web-01') }] };
    await expect(client.call('POST', '/api/dataprotection/v4.0/config/recovery-points', { body, requestId })).rejects.toThrow();
    const retry = await client.call('POST', '/api/dataprotection/v4.0/config/recovery-points', { body, requestId });
    expect(retry.status).toBe(202);
    expect(retry.headers['x-sim-replayed']).toBe('true');
    expect((await client.waitTask(retry.body.data.extId)).status).toBe('SUCCEEDED');
    expect(sim.recoveryPoints().filter((rp) => rp.name === 'crash-rp')).toHaveLength(1);
    expect(sim.tasks().filter((task) => task.operation === 'CreateRecoveryPoint')).toHaveLength(1);
  });

  it('errors are not remembered: a retry after an injected 5xx with the same id is a new attempt', async () => {
    sim.faults.inject('fail-call=PowerOnVm:500');
    const requestId = randomUUID();
    const path = `${VMS}/${vmId('scratch-vm-01')}/$actions/power-on`;
    expect((await client.call('POST', path, { requestId })).status).toBe(500);
    const retry = await client.call('POST', path, { requestId });
    expect(retry.status).toBe(202);
    expect((await client.waitTask(retry.body.data.extId)).status).toBe('SUCCEEDED');
  });
});

describe('admin API', () => {
  it('requires the API credentials', async () => {
    expect((await client.call('GET', '/_sim/faults', { auth: 'none' })).status).toBe(401);
  });

  it('arms faults from text or JSON, lists them with what is left, and clears them', async () => {
    const armed = await client.call('POST', '/_sim/faults', { body: [{ spec: 'fail-task=DeleteVm:2' }, { kind: 'slow-task', operation: 'RevertVm', ms: 100 }] });
    expect(armed.status).toBe(201);
    expect(armed.body.data).toEqual([
      { kind: 'fail-task', operation: 'DeleteVm', count: 2 },
      { kind: 'slow-task', operation: 'RevertVm', ms: 100 },
    ]);
    expect(sim.faults.list()).toHaveLength(2);
    const invalid = await client.call('POST', '/_sim/faults', { body: { spec: 'fail-task=Nope' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.data.error[0].message).toMatch(/operation must be '\*' or an async operation/);
    expect((await client.call('DELETE', '/_sim/faults')).body.data).toEqual([]);
    expect((await client.call('GET', '/_sim/faults')).body.data).toEqual([]);
  });

  it('summarises the state', async () => {
    const state = (await client.call('GET', '/_sim/state')).body.data;
    expect(state.clusters.map((cluster: { name: string }) => cluster.name)).toEqual(['PC-Cluster-01', 'DR-Cluster-01']);
    expect(state.vms.find((vm: { name: string }) => vm.name === 'prod-web-01')).toMatchObject({ powerState: 'ON', guest: null, guestState: { broken: false } });
    expect(state.tasks.SUCCEEDED).toBeGreaterThan(0);
  });
});
