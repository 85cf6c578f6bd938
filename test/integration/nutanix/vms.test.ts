import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../../../src/assets/service.js';
import { DatabaseAssetStore } from '../../../src/assets/store.js';
import { startSimulator } from '../../../src/sim/index.js';
import { CreateVm } from '../../../src/tasks/nutanix/ahv/CreateVm.js';
import { DeleteVm } from '../../../src/tasks/nutanix/ahv/DeleteVm.js';
import { GetVm } from '../../../src/tasks/nutanix/ahv/GetVm.js';
import { ListVms } from '../../../src/tasks/nutanix/ahv/ListVms.js';
import { StartVm } from '../../../src/tasks/nutanix/ahv/StartVm.js';
import { StopVm } from '../../../src/tasks/nutanix/ahv/StopVm.js';
import { prismRequestId } from '../../../src/tasks/nutanix/request-id.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { rejection } from '../../support/task-context.js';
import { FAST, type Sim, deletedAt, recordAssets, simRun } from './support.js';

/** The AHV VM tasks against the Prism Central simulator over real HTTPS. */
describe('Nutanix AHV VM tasks', () => {
  let sim: Sim;
  let test: TestDatabase;
  let service: AssetService;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ taskDelayMs: 0, guests: false });
    test = await createTestDatabase();
    service = new AssetService(test.database);
  });
  afterAll(async () => {
    await sim.stop();
    await test.drop();
  });
  afterEach(async () => {
    sim.faults.clear();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const run = async (key?: string) => {
    const created = await simRun(sim, key);
    created.context.assets = new DatabaseAssetStore(test.database);
    cleanups.push(created.cleanup);
    return created;
  };
  const spec = (name: string) => ({ name, description: 'made by a test', cluster: { extId: sim.clusterExtId }, resources: { numSockets: 2, numCoresPerSocket: 1, memorySizeBytes: 2 * 1024 ** 3 } });

  it('CreateVm creates, powers on and reads back the VM, logs the task and records the VM asset', async () => {
    const task = await run();
    const result = await task.run(CreateVm, { vm: spec('ci-create-01'), ...FAST });
    const made = sim.vm('ci-create-01')!;
    expect(made).toMatchObject({ powerState: 'ON', numSockets: 2 });
    expect(result.outputs).toMatchObject({ vmExtId: made.extId, vm: { extId: made.extId, name: 'ci-create-01', powerState: 'ON', sshPort: 22, httpPort: 80 } });
    expect(result.outputs!.taskExtId).toMatch(/^ZXJnb24=:/);
    expect(result.outputs!.vmIpAddresses).toEqual((result.outputs!.vm as { ipAddresses: string[] }).ipAddresses);
    expect(task.messages('info')).toContain(`CreateVm: Prism task ${String(result.outputs!.taskExtId)} started`);
    expect(result.assets).toEqual({
      inputs: [],
      outputs: [{ id: 'ci-create-01', type: 'io.kestra.plugin.ee.assets.VM', description: 'made by a test', metadata: expect.objectContaining({ provider: 'nutanix', extId: made.extId, clusterExtId: sim.clusterExtId }) }],
    });
  });

  it('CreateVm with powerOn: false leaves the VM OFF', async () => {
    const result = await (await run()).run(CreateVm, { vm: spec('ci-create-off'), powerOn: false, ...FAST });
    expect(sim.vm('ci-create-off')?.powerState).toBe('OFF');
    expect(result.outputs).not.toHaveProperty('powerOnTaskExtId');
  });

  it('CreateVm sends the same NTNX-Request-Id again after a dropped answer: exactly one VM', async () => {
    sim.faults.inject({ kind: 'drop-response', operation: 'CreateVm' });
    const task = await run('exec-drop:tr-1:1');
    const result = await task.run(CreateVm, { vm: spec('ci-dropped'), ...FAST });
    expect(sim.vms().filter((vm) => vm.name === 'ci-dropped')).toHaveLength(1);
    expect(result.outputs!.vmExtId).toBe(sim.vm('ci-dropped')!.extId);
    expect(task.messages('warn').some((line) => line.startsWith('CreateVm: ') && line.endsWith('sending it again with the same NTNX-Request-Id'))).toBe(true);
  });

  it('CreateVm re-run after a crash with the same idempotency key replays the create: exactly one VM', async () => {
    // The first attempt's answers are all lost (the worker "crashed" before it saw any).
    sim.faults.inject({ kind: 'drop-response', operation: 'CreateVm', count: 3 });
    const first = await rejection((await run('exec-crash:tr-1:1')).run(CreateVm, { vm: spec('ci-crash'), ...FAST }));
    expect(first.retryable).toBe(true);
    expect(sim.vms().filter((vm) => vm.name === 'ci-crash')).toHaveLength(1);
    const again = await (await run('exec-crash:tr-1:1')).run(CreateVm, { vm: spec('ci-crash'), ...FAST });
    expect(sim.vms().filter((vm) => vm.name === 'ci-crash')).toHaveLength(1);
    expect(again.outputs!.vmExtId).toBe(sim.vm('ci-crash')!.extId);
    expect(prismRequestId('exec-crash:tr-1:1', 'create-vm')).toBe(prismRequestId('exec-crash:tr-1:1', 'create-vm'));
  });

  it('CreateVm surfaces a FAILED Prism task with its error code, not retryable', async () => {
    sim.faults.inject({ kind: 'fail-task', operation: 'CreateVm', code: 'VMM-30100', message: 'Not enough memory on cluster' });
    const error = await rejection((await run()).run(CreateVm, { vm: spec('ci-fails'), ...FAST }));
    expect(error.message).toMatch(/^Prism Central task ZXJnb24=:\S+ for CreateVm ended FAILED: VMM-30100 Not enough memory on cluster$/);
    expect(error.retryable).toBe(false);
  });

  it('CreateVm refuses an invalid spec with the Prism error, not retryable', async () => {
    const error = await rejection((await run()).run(CreateVm, { vm: { ...spec('ci-bad'), cluster: { extId: 'no-such-cluster' } }, ...FAST }));
    expect(error.message).toMatch(/^Prism Central refused CreateVm \(HTTP 400\): VMM-\d+ .*no cluster with extId 'no-such-cluster'/);
    expect(error.retryable).toBe(false);
  });

  it('GetVm reads by extId or by name, declares the VM used, and names a missing or ambiguous VM', async () => {
    const prod = sim.vm('prod-web-01')!;
    const byId = await (await run()).run(GetVm, { vmExtId: prod.extId });
    expect(byId.outputs).toMatchObject({ vmExtId: prod.extId, vm: { name: 'prod-web-01', extId: prod.extId } });
    expect(byId.outputs!.etag).toEqual(expect.any(String));
    expect(byId.assets).toEqual({ inputs: [{ id: 'prod-web-01' }], outputs: [] });
    expect((await (await run()).run(GetVm, { vmName: 'prod-web-01' })).outputs!.vmExtId).toBe(prod.extId);
    expect((await rejection((await run()).run(GetVm, { vmName: 'nope-01' }))).message).toBe('`vmName`: Prism Central has no VM named "nope-01"');
    await (await run()).run(CreateVm, { vm: spec('ci-twin'), powerOn: false, ...FAST });
    await (await run('other:tr:1')).run(CreateVm, { vm: spec('ci-twin'), powerOn: false, ...FAST });
    expect((await rejection((await run()).run(GetVm, { vmName: 'ci-twin' }))).message).toMatch(/^`vmName`: several VMs are named "ci-twin" .*; use vmExtId$/);
    const missing = await rejection((await run()).run(GetVm, { vmExtId: '00000000-0000-4000-8000-000000000000' }));
    expect([missing.message.startsWith('`vmExtId`: Prism Central has no VM 00000000-0000-4000-8000-000000000000 (Prism Central refused GetVm (HTTP 404)'), missing.retryable]).toEqual([true, false]);
  });

  it('ListVms filters, orders, pages and fetches one or none', async () => {
    const list = async (props: Record<string, unknown>) => (await (await run()).run(ListVms, props)).outputs!;
    const names = (outputs: Record<string, unknown>) => (outputs.vms as { name: string }[]).map((vm) => vm.name);
    expect(names(await list({ filter: "startswith(name, 'prod-') or startswith(name, 'uat-')", orderBy: 'name desc' }))).toEqual(['uat-web-01', 'prod-web-01']);
    const page = await list({ filter: "endswith(name, 'web-01') or contains(name, 'web-01')", orderBy: 'name', limit: 1, page: 1 });
    expect([names(page), page.size]).toEqual([['uat-web-01'], 1]);
    expect(page.total).toBeGreaterThanOrEqual(3);
    const one = await list({ filter: "name eq 'windows-web-01'", fetchType: 'FETCH_ONE' });
    expect(one).toMatchObject({ vm: { name: 'windows-web-01' }, row: { name: 'windows-web-01' }, size: 1 });
    expect(await list({ filter: "name eq 'prod-web-01'", fetchType: 'NONE' })).toEqual({ size: 1, total: 1 });
    const none = await rejection((await run()).run(ListVms, { filter: "name eq 'ghost'", fetchType: 'FETCH_ONE' }));
    expect(none.message).toBe('ListVms (fetchType FETCH_ONE): no VM matches filter "name eq \'ghost\'"');
    const bad = await rejection((await run()).run(ListVms, { filter: 'name eq' }));
    expect([bad.message.startsWith('Prism Central refused ListVms (HTTP 400)'), bad.retryable]).toEqual([true, false]);
  });

  it('StopVm powers off (or shuts down) and StartVm powers on; both leave a VM already there alone', async () => {
    const { outputs } = await (await run()).run(CreateVm, { vm: spec('ci-power'), ...FAST });
    const vmExtId = outputs!.vmExtId as string;
    const stopped = await (await run()).run(StopVm, { vmExtId, gracefully: true, ...FAST });
    expect(stopped.outputs).toMatchObject({ vmExtId, action: 'shutdown', taskExtId: expect.stringMatching(/^ZXJnb24=:/) });
    expect(sim.vm('ci-power')?.powerState).toBe('OFF');
    expect((await (await run()).run(StopVm, { vmExtId, ...FAST })).outputs).toMatchObject({ taskExtId: null, action: 'power-off' });
    const started = await (await run()).run(StartVm, { vmExtId, ...FAST });
    expect(started.outputs).toMatchObject({ vmExtId, vm: { powerState: 'ON' } });
    expect(sim.vm('ci-power')?.powerState).toBe('ON');
    expect((await (await run()).run(StartVm, { vmExtId, ...FAST })).outputs!.taskExtId).toBeNull();
  });

  it('DeleteVm deletes the VM and marks its asset DELETED', async () => {
    const creating = await run();
    const created = await creating.run(CreateVm, { vm: spec('ci-delete'), ...FAST });
    await recordAssets(test.database, creating, created);
    expect(await deletedAt(service, 'ci-delete')).toBeNull();
    const result = await (await run()).run(DeleteVm, { vmExtId: created.outputs!.vmExtId as string, ...FAST });
    expect(result.outputs).toMatchObject({ vmExtId: created.outputs!.vmExtId, name: 'ci-delete' });
    expect(sim.vm('ci-delete')).toBeUndefined();
    expect(await deletedAt(service, 'ci-delete')).not.toBeNull();
  });
});
