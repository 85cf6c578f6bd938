import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../../../src/assets/service.js';
import { DatabaseAssetStore } from '../../../src/assets/store.js';
import { startSimulator } from '../../../src/sim/index.js';
import { UpdateVm } from '../../../src/tasks/nutanix/ahv/UpdateVm.js';
import { CreateVmSnapshot } from '../../../src/tasks/nutanix/snapshot/CreateVmSnapshot.js';
import { DeleteVmSnapshot } from '../../../src/tasks/nutanix/snapshot/DeleteVmSnapshot.js';
import { ListVmSnapshots } from '../../../src/tasks/nutanix/snapshot/ListVmSnapshots.js';
import { ReplicateVmSnapshot } from '../../../src/tasks/nutanix/snapshot/ReplicateVmSnapshot.js';
import { RestoreVmSnapshot } from '../../../src/tasks/nutanix/snapshot/RestoreVmSnapshot.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { type TestRun, rejection } from '../../support/task-context.js';
import { FAST, type Sim, deletedAt, recordAssets, simRun } from './support.js';

/** Recovery points ("VM snapshots") against the Prism Central simulator over real HTTPS. */
describe('Nutanix snapshot tasks', () => {
  let sim: Sim;
  let test: TestDatabase;
  let service: AssetService;
  const runs: TestRun[] = [];
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
    for (const run of runs.splice(0)) await run.cleanup();
  });
  const run = async (key?: string) => {
    const created = await simRun(sim, key);
    created.context.assets = new DatabaseAssetStore(test.database);
    runs.push(created);
    return created;
  };
  const snapshot = async (vmName: string, snapshotName: string, extra: Record<string, unknown> = {}) => {
    const task = await run();
    const result = await task.run(CreateVmSnapshot, { vmExtId: sim.vm(vmName)!.extId, snapshotName, ...extra, ...FAST });
    await recordAssets(test.database, task, result);
    return { task, result, snapshotExtId: result.outputs!.snapshotExtId as string };
  };

  it('CreateVmSnapshot takes a recovery point, outputs its extId and records it with the VM as input', async () => {
    const { task, result, snapshotExtId } = await snapshot('prod-web-01', 'pre-patch', { recoveryPointType: 'APPLICATION_CONSISTENT', expirationTime: 'P7D' });
    const stored = sim.recoveryPoints().find((rp) => rp.extId === snapshotExtId)!;
    expect(stored).toMatchObject({ name: 'pre-patch', recoveryPointType: 'APPLICATION_CONSISTENT', vmRecoveryPoints: [{ vmExtId: sim.vm('prod-web-01')!.extId }] });
    expect(result.outputs).toMatchObject({ snapshotName: 'pre-patch', recoveryPointType: 'APPLICATION_CONSISTENT', taskExtId: expect.stringMatching(/^ZXJnb24=:/) });
    expect(task.messages('info')).toContain(`CreateVmSnapshot: Prism task ${String(result.outputs!.taskExtId)} started`);
    expect(result.assets!.inputs).toEqual([{ id: 'prod-web-01' }]);
    expect(result.assets!.outputs[0]).toMatchObject({ id: snapshotExtId, type: 'io.kestra.plugin.ee.assets.VM.Snapshot', displayName: 'pre-patch', metadata: { provider: 'nutanix', vm: 'prod-web-01' } });
    const view = await service.show(snapshotExtId);
    expect(view.asset).toMatchObject({ id: snapshotExtId, displayName: 'pre-patch' });
  });

  it("accepts Kestra's consistency, and is idempotent when re-run with the same key after a crash", async () => {
    sim.faults.inject({ kind: 'drop-response', operation: 'CreateRecoveryPoint', count: 3 });
    const vmExtId = sim.vm('uat-web-01')!.extId;
    const before = sim.recoveryPoints().length;
    const props = { vmExtId, snapshotName: 'crash-test', consistency: 'CRASH_CONSISTENT', ...FAST };
    expect((await rejection((await run('exec-rp:tr:1')).run(CreateVmSnapshot, props))).retryable).toBe(true);
    const again = await (await run('exec-rp:tr:1')).run(CreateVmSnapshot, props);
    expect(sim.recoveryPoints().length).toBe(before + 1);
    expect(sim.recoveryPoints().some((rp) => rp.extId === again.outputs!.snapshotExtId)).toBe(true);
  });

  it('surfaces a failed recovery point task with its Prism code', async () => {
    sim.faults.inject({ kind: 'fail-task', operation: 'CreateRecoveryPoint' });
    const error = await rejection((await run()).run(CreateVmSnapshot, { vmExtId: sim.vm('prod-web-01')!.extId, snapshotName: 'doomed', ...FAST }));
    expect(error.message).toMatch(/^Prism Central task \S+ for CreateVmSnapshot ended FAILED: DTP-\d+ /);
  });

  it('ListVmSnapshots lists by VM, filter, order and page', async () => {
    await snapshot('windows-web-01', 'win-a');
    await snapshot('windows-web-01', 'win-b');
    const list = async (props: Record<string, unknown>) => (await (await run()).run(ListVmSnapshots, props)).outputs!;
    const names = (outputs: Record<string, unknown>) => (outputs.snapshots as { name: string }[]).map((rp) => rp.name);
    const windows = await list({ vmExtId: sim.vm('windows-web-01')!.extId, orderBy: 'name desc' });
    expect([names(windows), windows.size, windows.total]).toEqual([['win-b', 'win-a'], 2, 2]);
    expect((windows.snapshots as { snapshotExtId: string; vmExtIds: string[] }[])[0]!.vmExtIds).toEqual([sim.vm('windows-web-01')!.extId]);
    expect(names(await list({ vmExtId: sim.vm('windows-web-01')!.extId, orderBy: 'name', limit: 1, page: 1 }))).toEqual(['win-b']);
    expect(names(await list({ filter: "startswith(name, 'win-')", orderBy: 'name', limit: 1 }))).toEqual(['win-a']);
  });

  it('RestoreVmSnapshot reverts the VM in place to what the recovery point captured', async () => {
    const vmExtId = sim.vm('uat-web-01')!.extId;
    const { snapshotExtId } = await snapshot('uat-web-01', 'before-resize');
    const sockets = sim.vm('uat-web-01')!.numSockets;
    await (await run()).run(UpdateVm, { vmExtId, vm: { resources: { numSockets: sockets + 2 } }, ...FAST });
    expect(sim.vm('uat-web-01')!.numSockets).toBe(sockets + 2);
    const restored = await (await run()).run(RestoreVmSnapshot, { snapshotExtId, ...FAST });
    expect(sim.vm('uat-web-01')!.numSockets).toBe(sockets);
    const vrp = sim.recoveryPoints().find((rp) => rp.extId === snapshotExtId)!.vmRecoveryPoints[0]!;
    expect(restored.outputs).toMatchObject({ vmExtId, snapshotExtId, vmRecoveryPointExtId: vrp.extId, taskExtId: expect.stringMatching(/^ZXJnb24=:/) });
    expect(restored.assets).toEqual({ inputs: [{ id: snapshotExtId }, { id: 'uat-web-01' }], outputs: [] });
    const missing = await rejection((await run()).run(RestoreVmSnapshot, { snapshotExtId: '00000000-0000-4000-8000-00000000dead', ...FAST }));
    expect([missing.message.startsWith('`snapshotExtId`: Prism Central has no recovery point'), missing.retryable]).toEqual([true, false]);
  });

  it('ReplicateVmSnapshot copies the recovery point to the DR cluster and outputs the replica', async () => {
    const { snapshotExtId } = await snapshot('prod-web-01', 'for-dr');
    const result = await (await run()).run(ReplicateVmSnapshot, { snapshotExtId, clusterExtId: sim.drClusterExtId, ...FAST });
    const replicaExtId = result.outputs!.replicaExtId as string;
    expect(replicaExtId).toEqual(expect.any(String));
    expect(replicaExtId).not.toBe(snapshotExtId);
    const replica = sim.recoveryPoints().find((rp) => rp.extId === replicaExtId)!;
    expect(replica.locationReferences).toEqual([{ locationExtId: sim.drClusterExtId }]);
    expect(result.assets).toMatchObject({ inputs: [{ id: snapshotExtId }], outputs: [{ id: replicaExtId, displayName: 'for-dr', metadata: { clusterExtId: sim.drClusterExtId, sourceExtId: snapshotExtId } }] });
  });

  it('DeleteVmSnapshot deletes the recovery point and marks its asset DELETED', async () => {
    const { snapshotExtId } = await snapshot('prod-web-01', 'to-delete');
    expect(await deletedAt(service, snapshotExtId)).toBeNull();
    const result = await (await run()).run(DeleteVmSnapshot, { snapshotExtId, ...FAST });
    expect(result.outputs).toMatchObject({ snapshotExtId, snapshotName: 'to-delete' });
    expect(sim.recoveryPoints().some((rp) => rp.extId === snapshotExtId)).toBe(false);
    expect(await deletedAt(service, snapshotExtId)).not.toBeNull();
  });
});
