import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/sim/index.js';
import { CreateVm } from '../../../src/tasks/nutanix/ahv/CreateVm.js';
import { GetVm } from '../../../src/tasks/nutanix/ahv/GetVm.js';
import { ListVms } from '../../../src/tasks/nutanix/ahv/ListVms.js';
import { StopVm } from '../../../src/tasks/nutanix/ahv/StopVm.js';
import { UpdateVm } from '../../../src/tasks/nutanix/ahv/UpdateVm.js';
import { type TestRun, createTestRun, rejection } from '../../support/task-context.js';
import { FAST, type Sim, explicit, simRun } from './support.js';

/** Connection resolution, TLS, authentication and optimistic concurrency, over real HTTPS. */
describe('Nutanix connection and concurrency', () => {
  let sim: Sim;
  const runs: TestRun[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ taskDelayMs: 0, guests: false });
  });
  afterAll(() => sim.stop());
  afterEach(async () => {
    sim.faults.clear();
    for (const run of runs.splice(0)) await run.cleanup();
  });
  const bare = async () => {
    const run = await createTestRun();
    runs.push(run);
    return run;
  };
  const viaServer = async () => {
    const run = await simRun(sim);
    runs.push(run);
    return run;
  };
  const list = { filter: "name eq 'prod-web-01'", fetchType: 'NONE' };

  it('verifies TLS by default: without the CA the call fails with a certificate error, not retried', async () => {
    const error = await rejection((await bare()).run(ListVms, { ...explicit(sim), ...list }));
    expect(error.message).toMatch(/^ListVms: the TLS certificate of Prism Central .+ could not be verified \(.+\)\. Set `caCertificate`/);
    expect(error.retryable).toBe(false);
  });

  it('trusts the CA given as caCertificate, and the one of the server connection', async () => {
    expect((await (await bare()).run(ListVms, { ...explicit(sim), caCertificate: sim.caCert, ...list })).outputs).toEqual({ size: 1, total: 1 });
    expect((await (await viaServer()).run(ListVms, list)).outputs).toEqual({ size: 1, total: 1 });
  });

  it('skips verification with insecure: true, with a warning', async () => {
    const run = await bare();
    expect((await run.run(ListVms, { ...explicit(sim), insecure: true, ...list })).outputs).toEqual({ size: 1, total: 1 });
    expect(run.messages('warn').some((line) => line.startsWith('TLS certificate verification is OFF for Prism Central'))).toBe(true);
    expect(run.messages().join('\n')).not.toContain(sim.apiKey);
  });

  it('surfaces a wrong API key as a clear 401, not retried, without echoing the key', async () => {
    const error = await rejection((await bare()).run(ListVms, { ...explicit(sim), caCertificate: sim.caCert, token: 'wrong-key', ...list }));
    expect(error.message).toMatch(/^Prism Central refused ListVms \(HTTP 401\).*authentication failed: check `token`/);
    expect(error.message).not.toContain('wrong-key');
    expect(error.retryable).toBe(false);
  });

  it('accepts username and password (Basic) from the flow', async () => {
    const connection = sim.connection();
    const props = { host: sim.host, port: sim.port, caCertificate: sim.caCert, username: connection.username, password: connection.password, ...list };
    expect((await (await bare()).run(ListVms, props)).outputs).toEqual({ size: 1, total: 1 });
  });

  it('asks for NUTANIX_HOST or host when there is no Prism Central at all', async () => {
    const error = await rejection((await bare()).run(ListVms, list));
    expect(error.message).toContain('set NUTANIX_HOST on the server, or the task\'s `host`');
  });

  it('retries 5xx answers through the retry policy: the error is retryable and names the status', async () => {
    sim.faults.inject({ kind: 'fail-call', operation: 'ListVms', status: 503 });
    const error = await rejection((await viaServer()).run(ListVms, list));
    expect([error.message.startsWith('Prism Central refused ListVms (HTTP 503)'), error.retryable]).toEqual([true, true]);
  });

  it('stops polling when the task run is aborted, and gives up after waitTimeout without a retry', async () => {
    const spec = { name: 'ci-slow', cluster: { extId: sim.clusterExtId }, resources: { numSockets: 1, memorySizeBytes: 1024 ** 3 } };
    sim.faults.inject({ kind: 'slow-task', operation: 'CreateVm', ms: 60_000 });
    const killed = await viaServer();
    const before = sim.tasks().length;
    const running = killed.run(CreateVm, { vm: spec, ...FAST });
    // Abort once the Prism task exists, so it is the polling that stops (not the create call).
    while (!sim.tasks().slice(before).some((task) => task.operation === 'CreateVm')) await new Promise((resolve) => setTimeout(resolve, 10));
    killed.controller.abort(new Error('killed by U123'));
    const aborted = await rejection(running);
    // The abort lands while the poller sleeps, reads the task, or (a loaded machine) still waits
    // for the create call's answer: each stops the run at once, with the kill's reason.
    expect(aborted.message).toMatch(/^CreateVm \((waiting for Prism task ZXJnb24=:\S+|reading task ZXJnb24=:\S+\) \(Prism Central .*|Prism Central .*)\) was stopped: killed by U123$/);
    const timedOut = await rejection((await viaServer()).run(CreateVm, { vm: { ...spec, name: 'ci-slow-2' }, ...FAST, waitTimeout: 'PT0.2S' }));
    expect(timedOut.message).toMatch(/^CreateVm: Prism task ZXJnb24=:\S+ still (QUEUED|RUNNING) after waitTimeout \(0.2 s\); it may still finish in Prism Central$/);
    expect(timedOut.retryable).toBe(false);
  });

  it('CreateVm with wait: false and powerOn: false returns once Prism accepted the request', async () => {
    sim.faults.inject({ kind: 'slow-task', operation: 'CreateVm', ms: 60_000 });
    const result = await (await viaServer()).run(CreateVm, { vm: { name: 'ci-nowait', cluster: { extId: sim.clusterExtId } }, wait: false, powerOn: false });
    expect(result.outputs).toMatchObject({ vmExtId: null, vm: { name: 'ci-nowait' }, taskExtId: expect.stringMatching(/^ZXJnb24=:/) });
    expect(sim.tasks().find((task) => task.extId === result.outputs!.taskExtId)?.status).not.toBe('SUCCEEDED');
  });

  it('UpdateVm changes resources with If-Match and outputs the new ETag', async () => {
    const vmExtId = sim.vm('uat-web-01')!.extId;
    const result = await (await viaServer()).run(UpdateVm, { vmExtId, vm: { description: 'resized', resources: { numSockets: 4, memorySizeBytes: 8 * 1024 ** 3 } }, ...FAST });
    expect(sim.vm('uat-web-01')).toMatchObject({ numSockets: 4, memorySizeBytes: 8 * 1024 ** 3, description: 'resized' });
    expect(result.outputs).toMatchObject({ vmExtId, vm: { numSockets: 4 }, etag: expect.any(String) });
  });

  it('UpdateVm with a stale etag (the VM changed since GetVm) is refused clearly and not retried', async () => {
    const vmExtId = sim.vm('windows-web-01')!.extId;
    const read = await (await viaServer()).run(GetVm, { vmExtId });
    await (await viaServer()).run(StopVm, { vmExtId, ...FAST }); // someone changes the VM in between
    const error = await rejection((await viaServer()).run(UpdateVm, { vmExtId, etag: read.outputs!.etag, vm: { resources: { numSockets: 8 } }, ...FAST }));
    expect(error.message).toMatch(/^`etag`: VM \S+ changed since the ETag was read, so the update was refused \(Prism Central refused UpdateVm \(HTTP 412\)/);
    expect(error.retryable).toBe(false);
    expect(sim.vm('windows-web-01')?.numSockets).not.toBe(8);
  });

  it('UpdateVm without etag reads the VM again after a 412 and succeeds; a second 412 fails retryable', async () => {
    const vmExtId = sim.vm('prod-web-01')!.extId;
    sim.faults.inject({ kind: 'fail-call', operation: 'UpdateVm', status: 412, code: 'PLAT-10005', message: 'Invalid eTag header' });
    const run = await viaServer();
    await run.run(UpdateVm, { vmExtId, vm: { description: 'after a race' }, ...FAST });
    expect(sim.vm('prod-web-01')?.description).toBe('after a race');
    expect(run.messages('warn')).toContain(`UpdateVm: VM ${vmExtId} changed between read and update (HTTP 412); reading it again`);
    sim.faults.inject({ kind: 'fail-call', operation: 'UpdateVm', status: 412, count: 2 });
    const error = await rejection((await viaServer()).run(UpdateVm, { vmExtId, vm: { description: 'never' }, ...FAST }));
    expect([error.message.startsWith(`UpdateVm: VM ${vmExtId} kept changing while it was being updated`), error.retryable]).toEqual([true, true]);
  });
});
