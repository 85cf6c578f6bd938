import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/sim/index.js';
import { CreateVm } from '../../../src/tasks/nutanix/ahv/CreateVm.js';
import { GetVm } from '../../../src/tasks/nutanix/ahv/GetVm.js';
import type { TestRun } from '../../support/task-context.js';
import { FAST, type Sim, simRun } from './support.js';

/** VM outputs point at where a simulated guest really listens, so SSH and health steps can reach it. */
describe('Nutanix VM outputs with simulated guests', () => {
  let sim: Sim;
  const runs: TestRun[] = [];
  beforeAll(async () => {
    // Allocated ports only: parallel test files must not fight over 127.0.0.N:22.
    sim = await startSimulator({ taskDelayMs: 0, guests: { addressing: 'ports' } });
  });
  afterAll(() => sim.stop());
  afterEach(async () => {
    for (const run of runs.splice(0)) await run.cleanup();
  });
  const run = async () => {
    const created = await simRun(sim);
    runs.push(created);
    return created;
  };

  it('GetVm outputs the guest address, ports and health URL', async () => {
    const endpoint = sim.guests!.endpoint(sim.vm('prod-web-01')!.extId)!;
    const { outputs } = await (await run()).run(GetVm, { vmName: 'prod-web-01' });
    expect(outputs!.vm).toMatchObject({ ip: endpoint.ip, sshPort: endpoint.sshPort, httpPort: endpoint.httpPort, healthUrl: endpoint.healthUrl, powerState: 'ON' });
    expect(outputs!.vm).not.toHaveProperty('simulatedGuest');
    const health = await fetch(endpoint.healthUrl);
    expect(health.status).toBe(200);
    await health.body?.cancel();
  });

  it('CreateVm outputs the address of the new, powered-on VM and records it on the asset', async () => {
    const result = await (await run()).run(CreateVm, { vm: { name: 'ci-guest', cluster: { extId: sim.clusterExtId }, resources: { numSockets: 1, memorySizeBytes: 1024 ** 3 } }, ...FAST });
    const endpoint = sim.guests!.endpoint(result.outputs!.vmExtId as string)!;
    expect(result.outputs).toMatchObject({ vm: { ip: endpoint.ip, sshPort: endpoint.sshPort }, vmIpAddresses: [endpoint.ip] });
    expect(result.assets!.outputs[0]!.metadata).toMatchObject({ ip: endpoint.ip });
  });
});
