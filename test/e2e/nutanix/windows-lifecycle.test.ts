import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowRig, startFlowRig } from './support.js';

/**
 * The Windows web VM lifecycle as the shipped flows (flows/windows-vm) run it against the
 * simulator: seven separate runs create windows-web-01, reserve its IP, license it, onboard an
 * administrator, install nginx over SSH, issue a certificate whose inputs are the VM and the IP
 * found with `assets(…) | jq(…)`, and take a recovery point. The inventory answers for it.
 */
const STEPS = ['windows-vm-create', 'windows-vm-reserve-ip', 'windows-vm-licence', 'windows-vm-admin-user', 'windows-vm-install-nginx', 'windows-vm-certificate', 'windows-vm-snapshot'];

describe('the Windows VM lifecycle flows', () => {
  let rig: FlowRig;
  beforeAll(async () => {
    // A simulator without the seeded windows-web-01: the lifecycle creates it.
    rig = await startFlowRig({ vms: [{ name: 'prod-web-01', categories: ['Department:Web'] }] });
    const shipped = (await readdir(path.resolve(import.meta.dirname, '../../../flows/windows-vm'))).map((file) => path.join('windows-vm', file.replace(/\.yaml$/, '')));
    expect(shipped.map((name) => path.basename(name)).sort()).toEqual([...STEPS].sort());
    await rig.loadShipped(...shipped);
  }, 60_000);
  afterAll(() => rig?.close());

  it('records every step with lineage, history and impact', async () => {
    const ids: Record<string, string> = {};
    for (const flow of STEPS) {
      const view = await rig.engine.run(flow, {});
      expect(view.state, `${flow}: ${view.error ?? ''}`).toBe('SUCCESS');
      ids[flow] = view.id;
    }
    const vm = rig.sim.vm('windows-web-01')!;
    const ip = rig.sim.guests!.endpoint(vm.extId)!.ip;
    const snapshot = rig.sim.recoveryPoints().find((rp) => rp.name === 'baseline-windows-web-01')!;
    expect(snapshot).toBeDefined();
    expect(rig.sim.guests!.state(vm.extId)?.packages.nginx).toBeDefined();

    const shown = await rig.assets.show('windows-web-01');
    expect(shown.asset.metadata).toMatchObject({ os: 'windows', provider: 'nutanix', extId: vm.extId });
    expect(shown.downstream.map((edge) => edge.id).sort()).toEqual(
      [ip, 'licence-windows-web-01', 'svc-admin@windows-web-01', 'nginx@windows-web-01', 'cert-windows-web-01', snapshot.extId].sort(),
    );
    const cert = await rig.assets.show('cert-windows-web-01');
    expect(cert.upstream.filter((edge) => edge.depth === 1).map((edge) => edge.id).sort()).toEqual([ip, 'windows-web-01'].sort());
    // History names the runs that touched the VM: created by the first, used by the others.
    expect(shown.events.find((event) => event.kind === 'CREATED')).toMatchObject({ flowId: 'windows-vm-create', taskId: 'create', executionId: ids['windows-vm-create'] });
    const runs = new Set(shown.events.map((event) => event.executionId));
    for (const flow of STEPS) expect(runs.has(ids[flow]!), flow).toBe(true);

    const impact = await rig.assets.impact('windows-web-01');
    expect(impact.orphaned.map((asset) => asset.id).sort()).toEqual(shown.downstream.map((edge) => edge.id).sort());
  }, 120_000);

  it('refuses to create a second VM of the same name', async () => {
    const view = await rig.engine.run('windows-vm-create', {});
    expect(view.state).toBe('FAILED');
    expect(view.error).toContain('A VM named windows-web-01 already exists');
    expect(rig.sim.vms().filter((vm) => vm.name === 'windows-web-01')).toHaveLength(1);
  }, 60_000);
});
