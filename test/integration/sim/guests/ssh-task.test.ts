import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GuestFleet, createGuestFleet, defaultGuestState } from '../../../../src/sim/guests/index.js';
import { SshCommand } from '../../../../src/tasks/ssh/Command.js';
import { leakedHandles, openHandleCount } from '../../../support/handles.js';
import { type TestRun, createTestRun, rejection } from '../../../support/task-context.js';
import { getHealth, randomPrefix } from './support.js';

/**
 * Patchbay's own SSH task against the guests, host key checking on: the fleet's knownHosts()
 * must verify a guest on its own loopback address (port 22) and one on an allocated port.
 */

let baseline: number;
let t: TestRun;
const fleets: GuestFleet[] = [];

beforeAll(() => {
  baseline = openHandleCount();
});
beforeEach(async () => {
  t = await createTestRun();
});
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((fleet) => fleet.close()));
  await t.cleanup();
});
afterAll(async () => {
  expect(await leakedHandles(baseline)).toBe(0);
});

function fleetWith(addressing: 'loopback' | 'ports', loopbackPrefix = randomPrefix()): GuestFleet {
  const fleet = createGuestFleet({ addressing, loopbackPrefix, rebootMs: 100 });
  fleets.push(fleet);
  return fleet;
}

const patchTask = (fleet: GuestFleet, ip: string, port: number, knownHosts: string) => ({
  host: ip,
  port,
  username: fleet.credentials.username,
  password: fleet.credentials.password,
  strictHostKeyChecking: true,
  knownHosts,
  commands: ['set -e', 'sudo apt-get update -q', 'sudo DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -q', `echo '::{"outputs":{"patched":true}}::'`],
});

describe('SSH task against simulated guests', () => {
  for (const addressing of ['loopback', 'ports'] as const) {
    it(`verifies the guest's host key with the fleet's knownHosts (${addressing}) and patches it`, async () => {
      const fleet = fleetWith(addressing);
      const endpoint = await fleet.start({ extId: 'vm-1', name: 'prod-web-01' }, defaultGuestState());
      expect(endpoint.sshPort === 22).toBe(addressing === 'loopback');
      const result = await t.run(SshCommand, patchTask(fleet, endpoint.ip, endpoint.sshPort, fleet.knownHosts()));
      expect(result.outputs).toMatchObject({ exitCode: 0, vars: { patched: true } });
      expect(t.messages('info').some((line) => line.startsWith('Setting up openssl'))).toBe(true);
      expect(fleet.state('vm-1')!.lastPatchedAt).toBeDefined();
      expect((await getHealth(endpoint.healthUrl)).status).toBe(200);
    });
  }

  it("refuses a guest when knownHosts holds another fleet's key", async () => {
    const prefix = randomPrefix();
    const fleet = fleetWith('loopback', prefix);
    // Same host patterns, another key: the lines match the host, the key does not.
    const stranger = fleetWith('loopback', prefix);
    const endpoint = await fleet.start({ extId: 'vm-1', name: 'prod-web-01' }, defaultGuestState());
    const error = await rejection(t.run(SshCommand, patchTask(fleet, endpoint.ip, endpoint.sshPort, stranger.knownHosts())));
    expect(error.message).toMatch(/Host key verification failed for .*not the key knownHosts lists/);
    expect(fleet.state('vm-1')!.lastPatchedAt).toBeUndefined();
  });

  it('fails the task with the exit status when a command fails on the guest', async () => {
    const fleet = fleetWith('ports');
    const endpoint = await fleet.start({ extId: 'vm-1', name: 'prod-web-01' }, defaultGuestState());
    const error = await rejection(t.run(SshCommand, { ...patchTask(fleet, endpoint.ip, endpoint.sshPort, fleet.knownHosts()), commands: ['apt-get upgrade -y'] }));
    expect(error.message).toContain('failed with exit status 100');
    expect(error.message).toContain('are you root?');
  });

  it('a reboot at the end of the script ends the task successfully', async () => {
    const fleet = fleetWith('loopback');
    const endpoint = await fleet.start({ extId: 'vm-1', name: 'prod-web-01' }, defaultGuestState());
    const result = await t.run(SshCommand, { ...patchTask(fleet, endpoint.ip, endpoint.sshPort, fleet.knownHosts()), commands: ['sudo apt-get upgrade -y', 'sudo reboot'] });
    expect(result.outputs).toMatchObject({ exitCode: 0 });
    expect((await getHealth(endpoint.healthUrl)).status).toBe('refused');
  });
});
