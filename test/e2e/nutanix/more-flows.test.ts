import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowRig, health, startFlowRig } from './support.js';

/** The other shipped Nutanix flows against the simulator: provisioning, DR copies, chargeback. */
const CHANNEL = 'C0OPS';

describe('shipped Nutanix flows', () => {
  let rig: FlowRig;
  beforeAll(async () => {
    rig = await startFlowRig();
    await rig.loadShipped('nutanix-safe-patch', 'provision-and-patch', 'dr-recovery-points', 'vm-chargeback');
  }, 60_000);
  afterAll(() => rig?.close());

  it('provision-and-patch creates a VM, patches it through the safe-patch subflow, and records it', async () => {
    const view = await rig.engine.run('provision-and-patch', { name: 'web-new-01', cpus: 4, memoryGiB: 8, department: 'Finance', notifyChannel: CHANNEL });
    expect(view.state, view.error ?? '').toBe('SUCCESS');
    expect(view.outputs).toMatchObject({ result: 'patched' });
    const vm = rig.sim.vm('web-new-01')!;
    expect(vm).toMatchObject({ powerState: 'ON', numSockets: 4, memorySizeBytes: 8 * 2 ** 30 });
    expect(view.outputs?.vmExtId).toBe(vm.extId);
    expect(rig.sim.guests!.state(vm.extId)?.lastPatchedAt).toBeDefined();
    expect(await health(rig.sim.guests!.endpoint(vm.extId)!.healthUrl)).toBe(200);
    const asset = await rig.assets.show('web-new-01');
    expect(asset.asset).toMatchObject({ type: 'io.kestra.plugin.ee.assets.VM', deleted: null });
    expect(asset.asset.metadata).toMatchObject({ provider: 'nutanix', extId: vm.extId });
  }, 90_000);

  it('dr-recovery-points protects every production VM on the DR cluster and reports it', async () => {
    const before = rig.sim.recoveryPoints().length;
    const view = await rig.engine.run('dr-recovery-points', { environment: 'Production', notifyChannel: CHANNEL });
    expect(view.state, view.error ?? '').toBe('SUCCESS');
    // Seeded production VMs: prod-web-01, windows-web-01, finance-db-01 — a local and a DR copy each.
    expect(view.outputs).toEqual({ protected: 3 });
    const created = rig.sim.recoveryPoints().slice(before);
    expect(created).toHaveLength(6);
    const onDr = created.filter((rp) => rp.locationReferences.some((ref) => ref.locationExtId === rig.sim.drClusterExtId));
    expect(onDr).toHaveLength(3);
    const report = rig.slack.messages(CHANNEL).map((m) => m.text ?? '').find((text) => text.includes('DR recovery points for Environment:Production'));
    expect(report).toContain('3 VM(s) protected');
    expect(report).toContain('finance-db-01, prod-web-01, windows-web-01');
  }, 90_000);

  it('dr-recovery-points fails loudly when a replication fails', async () => {
    rig.sim.faults.inject('fail-task=ReplicateRecoveryPoint');
    const view = await rig.engine.run('dr-recovery-points', { environment: 'Production', notifyChannel: CHANNEL });
    expect(view.state).toBe('FAILED');
    expect(view.error).toContain('ReplicateRecoveryPoint');
    const alert = rig.slack.messages(CHANNEL).map((m) => m.text ?? '').find((text) => text.includes(`failed: see execution ${view.id}`));
    expect(alert).toBeDefined();
    rig.sim.faults.clear();
  }, 90_000);

  it('vm-chargeback sums resources per department and flags untagged VMs', async () => {
    const view = await rig.engine.run('vm-chargeback', { notifyChannel: CHANNEL });
    expect(view.state, view.error ?? '').toBe('SUCCESS');
    const departments = JSON.parse(String(view.outputs?.departments)) as { department: string; vms: number; vcpu: number; memoryGiB: number }[];
    const byName = Object.fromEntries(departments.map((row) => [row.department, row]));
    // Seed: Web = prod-web-01 (2 vCPU, 4 GiB), uat-web-01 (2, 4), windows-web-01 (4, 8); Finance = finance-db-01 (8, 32)
    // plus web-new-01 (4, 8) from the provisioning test when it ran first.
    expect(byName.Web).toMatchObject({ vms: 3, vcpu: 8, memoryGiB: 16 });
    expect(byName.Finance?.vcpu).toBeGreaterThanOrEqual(8);
    expect(JSON.parse(String(view.outputs?.untagged))).toContain('scratch-vm-01');
    const post = rig.slack.messages(CHANNEL).map((m) => m.text ?? '').find((text) => text.includes('VM chargeback'));
    expect(post).toContain('No Department category: scratch-vm-01');
    expect(post).toMatch(/Web: 3 VM\(s\), 8 vCPU, 16 GiB memory/);
  }, 90_000);
});
