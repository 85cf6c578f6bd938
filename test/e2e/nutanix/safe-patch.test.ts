import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowRig, FAST_HEALTH, health, startFlowRig } from './support.js';

/**
 * The README's headline flow against the simulator: the success path leaves a patched,
 * healthy VM and no recovery point; a bad patch is caught by the health check, the VM is
 * reverted in place and is healthy again, and on-call hears about it. Both are checked on the
 * simulator's own state, the asset inventory and the Slack emulator.
 */
const ONCALL = 'C0ONCALL';

describe('nutanix-safe-patch', () => {
  let rig: FlowRig;
  beforeAll(async () => {
    rig = await startFlowRig();
    await rig.loadShipped('nutanix-safe-patch');
  }, 60_000);
  afterAll(() => rig?.close());

  const guest = (name: string) => {
    const vm = rig.sim.vm(name)!;
    return { vm, state: rig.sim.guests!.state(vm.extId)!, endpoint: rig.sim.guests!.endpoint(vm.extId)! };
  };

  it('patches a healthy VM, deletes its recovery point and says so', async () => {
    const before = guest('prod-web-01');
    expect(before.state.lastPatchedAt).toBeUndefined();
    const view = await rig.engine.run('nutanix-safe-patch', { vm: 'prod-web-01', notifyChannel: ONCALL, ...FAST_HEALTH });
    expect(view.state, view.error ?? '').toBe('SUCCESS');
    expect(view.outputs).toMatchObject({ vm: 'prod-web-01', result: 'patched' });

    const after = guest('prod-web-01');
    expect(after.state.broken).toBe(false);
    expect(after.state.lastPatchedAt).toBeDefined();
    expect(await health(after.endpoint.healthUrl)).toBe(200);
    const recoveryPoint = String(view.outputs?.recoveryPoint);
    expect(recoveryPoint).not.toBe('');
    expect(rig.sim.recoveryPoints().map((rp) => rp.extId)).not.toContain(recoveryPoint);

    const snapshot = await rig.assets.show(recoveryPoint);
    expect(snapshot.asset.deleted).not.toBeNull();
    expect(snapshot.upstream.map((edge) => edge.id)).toContain('prod-web-01');
    const told = rig.slack.messages(ONCALL).map((message) => message.text ?? '');
    expect(told.some((text) => text.includes('prod-web-01 patched and healthy'))).toBe(true);
  }, 60_000);

  it('reverts a VM the patch broke, keeps the recovery point, and tells on-call', async () => {
    rig.sim.faults.inject('bad-patch=uat-web-01');
    const view = await rig.engine.run('nutanix-safe-patch', { vm: 'uat-web-01', notifyChannel: ONCALL, ...FAST_HEALTH });
    expect(view.state).toBe('FAILED');
    expect(view.outputs).toMatchObject({ vm: 'uat-web-01', result: 'rolled_back' });
    const states = Object.fromEntries(view.taskRuns.map((run) => [run.taskId, run.state]));
    expect(states).toMatchObject({ health: 'FAILED', revert: 'SUCCESS', health_after_revert: 'SUCCESS', notify_oncall: 'SUCCESS' });

    // The guest is back to its pre-patch disk: not broken, and the upgrade undone.
    const after = guest('uat-web-01');
    expect(after.state.broken).toBe(false);
    expect(after.state.lastPatchedAt).toBeUndefined();
    expect(await health(after.endpoint.healthUrl)).toBe(200);
    const recoveryPoint = String(view.outputs?.recoveryPoint);
    expect(rig.sim.recoveryPoints().map((rp) => rp.extId)).toContain(recoveryPoint);
    expect((await rig.assets.show(recoveryPoint)).asset.deleted).toBeNull();

    const alert = rig.slack.messages(ONCALL).map((message) => message.text ?? '').find((text) => text.includes('Patching uat-web-01 failed'));
    expect(alert).toContain(`reverted to recovery point ${recoveryPoint} and is healthy again`);
  }, 60_000);

  it('changes nothing when the VM does not exist', async () => {
    const count = rig.sim.recoveryPoints().length;
    const view = await rig.engine.run('nutanix-safe-patch', { vm: 'no-such-vm', notifyChannel: ONCALL, ...FAST_HEALTH });
    expect(view.state).toBe('FAILED');
    expect(view.error).toContain('no VM matches filter');
    expect(view.outputs).toMatchObject({ result: 'failed', recoveryPoint: '' });
    expect(rig.sim.recoveryPoints()).toHaveLength(count);
    const alert = rig.slack.messages(ONCALL).map((message) => message.text ?? '').find((text) => text.includes('Patching no-such-vm failed'));
    expect(alert).toContain('Nothing was changed');
  }, 60_000);

  it('the patch-window report reads these real runs: patched, rolled back, failed, with their recovery points', async () => {
    const { report } = await rig.engine.service.patchReport({ since: 'P1D', flows: ['nutanix-safe-patch'], chart: false });
    const byVm = Object.fromEntries(report.vms.map((entry) => [entry.vm, entry]));
    expect(byVm['prod-web-01']).toMatchObject({ outcome: 'patched' });
    expect(byVm['uat-web-01']).toMatchObject({ outcome: 'rolled_back' });
    expect(byVm['no-such-vm']).toMatchObject({ outcome: 'failed' });
    // prod's recovery point was created and cleaned up; uat's was kept after the revert.
    expect(byVm['prod-web-01']!.recoveryPoints.created).toHaveLength(1);
    expect(byVm['prod-web-01']!.recoveryPoints.cleanedUp).toEqual(byVm['prod-web-01']!.recoveryPoints.created);
    expect(byVm['uat-web-01']!.recoveryPoints.created).toHaveLength(1);
    expect(byVm['uat-web-01']!.recoveryPoints.cleanedUp).toEqual([]);
  }, 60_000);
});
