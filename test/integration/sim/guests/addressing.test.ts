import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GuestFleet, type GuestFleetOptions, createGuestFleet, defaultGuestState } from '../../../../src/sim/guests/index.js';
import { leakedHandles, openHandleCount } from '../../../support/handles.js';
import { getHealth, randomPrefix, sshExec, waitFor } from './support.js';

let baseline: number;
const fleets: GuestFleet[] = [];
const blockers: Server[] = [];

beforeAll(() => {
  baseline = openHandleCount();
});
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((fleet) => fleet.close()));
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
afterAll(async () => {
  expect(await leakedHandles(baseline)).toBe(0);
});

function fleetWith(options: GuestFleetOptions): GuestFleet {
  const fleet = createGuestFleet({ rebootMs: 100, ...options });
  fleets.push(fleet);
  return fleet;
}

const login = (fleet: GuestFleet) => ({ ...fleet.credentials });
const vm = (n: number, ip?: string) => ({ extId: `vm-${n}`, name: `web-0${n}`, ...(ip === undefined ? {} : { ip }) });

describe('guest addressing', () => {
  it('loopback: each VM on its own address with SSH on 22 and HTTP on 80, reusing a known address', async () => {
    const prefix = randomPrefix();
    const fleet = fleetWith({ addressing: 'loopback', loopbackPrefix: prefix });
    const first = await fleet.start(vm(1), defaultGuestState());
    const second = await fleet.start(vm(2, `${prefix}77`), defaultGuestState());
    expect(first).toEqual({ ip: `${prefix}10`, sshPort: 22, httpPort: 80, healthUrl: `http://${prefix}10/health` });
    expect(second).toMatchObject({ ip: `${prefix}77`, sshPort: 22, httpPort: 80 });
    expect((await sshExec(second, 'hostname', login(fleet))).stdout).toBe('web-02\n');
    expect(await getHealth(first.healthUrl)).toMatchObject({ status: 200, body: { vm: 'web-01' } });
    expect(fleet.endpoint('vm-2')).toEqual(second);
  });

  it('auto: a VM whose address is taken falls back to 127.0.0.1 with allocated ports', async () => {
    const prefix = randomPrefix();
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(22, `${prefix}10`, resolve));
    const fleet = fleetWith({ loopbackPrefix: prefix });
    const endpoint = await fleet.start(vm(1), defaultGuestState());
    expect(endpoint.ip).toBe('127.0.0.1');
    expect(endpoint.sshPort).not.toBe(22);
    expect(endpoint.healthUrl).toBe(`http://127.0.0.1:${endpoint.httpPort}/health`);
    expect((await sshExec(endpoint, 'true', login(fleet))).code).toBe(0);
    expect((await getHealth(endpoint.healthUrl)).status).toBe(200);
    // The next VM is not affected.
    expect((await fleet.start(vm(2), defaultGuestState())).ip).toBe(`${prefix}11`);
  });

  it('auto: an address this host does not have (EADDRNOTAVAIL) falls back too; strict loopback refuses', async () => {
    const auto = fleetWith({ loopbackPrefix: '10.255.254.' });
    expect((await auto.start(vm(1), defaultGuestState())).ip).toBe('127.0.0.1');
    const strict = fleetWith({ addressing: 'loopback', loopbackPrefix: '10.255.254.' });
    await expect(strict.start(vm(1), defaultGuestState())).rejects.toThrow(/cannot listen on 10\.255\.254\.10/);
  });

  it('ports: 127.0.0.1 with allocated ports, kept across a reboot', async () => {
    const fleet = fleetWith({ addressing: 'ports', loopbackPrefix: randomPrefix() });
    const endpoint = await fleet.start(vm(1, '127.0.0.55'), defaultGuestState());
    expect(endpoint.ip).toBe('127.0.0.1');
    expect(endpoint.sshPort).not.toBe(endpoint.httpPort);
    await sshExec(endpoint, 'sudo shutdown -r now', login(fleet));
    expect((await getHealth(endpoint.healthUrl)).status).toBe('refused');
    await waitFor('health after reboot', async () => (await getHealth(endpoint.healthUrl)).status === 200);
    expect(fleet.endpoint('vm-1')).toEqual(endpoint);
  });

  it('keeps one host key in hostKeyDir across fleets, private file readable by its owner only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-guests-'));
    try {
      const keyDir = join(dir, 'keys');
      const first = fleetWith({ hostKeyDir: keyDir, addressing: 'ports' }).knownHosts();
      const second = fleetWith({ hostKeyDir: keyDir, addressing: 'ports' }).knownHosts();
      expect(second).toBe(first);
      expect(first).toMatch(/^\[127\.0\.0\.1\]:\* ssh-ed25519 AAAA/m);
      expect((await stat(join(keyDir, 'ssh_host_ed25519_key'))).mode & 0o777).toBe(0o600);
      expect(await readFile(join(keyDir, 'ssh_host_ed25519_key.pub'), 'utf8')).toContain(first.split('\n')[1]!.split(' ').slice(1).join(' '));
      expect(fleetWith({ addressing: 'ports' }).knownHosts()).not.toBe(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
