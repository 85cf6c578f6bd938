import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GuestFleet, type GuestState, createGuestFleet, defaultGuestState } from '../../../../src/sim/guests/index.js';
import { leakedHandles, openHandleCount } from '../../../support/handles.js';
import { accepts, getHealth, randomPrefix, sshExec, waitFor } from './support.js';

const REBOOT_MS = 300;
const VM = { extId: 'f3a1c9e0-0000-4000-8000-000000000001', name: 'prod-web-01' };

let baseline: number;
let fleet: GuestFleet;
let changes: { extId: string; state: GuestState }[];

beforeAll(() => {
  baseline = openHandleCount();
});
beforeEach(() => {
  fleet = createGuestFleet({ loopbackPrefix: randomPrefix(), rebootMs: REBOOT_MS, commandDelayMs: 0, password: 'correct horse' });
  changes = [];
  fleet.onStateChange((extId, state) => changes.push({ extId, state }));
});
afterEach(async () => {
  await fleet.close();
});
afterAll(async () => {
  // Every server, socket and timer the guests opened is gone once the fleets closed.
  expect(await leakedHandles(baseline)).toBe(0);
});

const login = () => ({ username: fleet.credentials.username, password: fleet.credentials.password });

describe('simulated guest over SSH and HTTP', () => {
  it('patches successfully: upgrade output, state change reported, health stays 200', async () => {
    const endpoint = await fleet.start(VM, defaultGuestState());
    expect(fleet.credentials).toEqual({ username: 'admin', password: 'correct horse' });
    const result = await sshExec(endpoint, 'sudo apt-get update\nsudo DEBIAN_FRONTEND=noninteractive apt-get upgrade -y', login());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Reading package lists...');
    expect(result.stdout).toMatch(/Setting up openssl \(.+\) \.\.\./);
    expect(result.stderr).toBe('');
    const state = fleet.state(VM.extId)!;
    expect(state.lastPatchedAt).toBeDefined();
    expect(state.broken).toBe(false);
    expect(changes.at(-1)).toEqual({ extId: VM.extId, state });
    const health = await getHealth(endpoint.healthUrl);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', vm: 'prod-web-01' } });
  });

  it('bad patch: health 500 after the upgrade, 200 again once restored from the earlier state', async () => {
    const endpoint = await fleet.start(VM, defaultGuestState());
    const beforePatch = fleet.state(VM.extId)!;
    fleet.setBadPatch('prod-web-01', true);
    expect((await sshExec(endpoint, 'sudo apt upgrade -y', login())).code).toBe(0);
    expect(fleet.state(VM.extId)!.broken).toBe(true);
    expect(changes.at(-1)!.state.broken).toBe(true);
    expect(await getHealth(endpoint.healthUrl)).toMatchObject({ status: 500, body: { status: 'error' } });

    await fleet.restore(VM.extId, beforePatch);
    // A revert reboots the guest: down at once, back (healthy) after rebootMs.
    expect(await getHealth(endpoint.healthUrl)).toEqual({ status: 'refused' });
    expect(changes.at(-1)!.state).toEqual(beforePatch);
    await waitFor('health after revert', async () => (await getHealth(endpoint.healthUrl)).status === 200);
    expect(fleet.state(VM.extId)).toEqual(beforePatch);
    expect(fleet.endpoint(VM.extId)).toEqual(endpoint);
  });

  it('the bad-patch fault is per VM name and can be cleared', async () => {
    const other = await fleet.start({ extId: 'vm-2', name: 'uat-web-01' }, defaultGuestState());
    fleet.setBadPatch('prod-web-01', true);
    fleet.setBadPatch('uat-web-01', true);
    fleet.setBadPatch('uat-web-01', false);
    expect((await sshExec(other, 'sudo apt-get upgrade -y', login())).code).toBe(0);
    expect(fleet.state('vm-2')!.broken).toBe(false);
  });

  it('reboot closes the session with status 0, takes SSH and health down, then both come back', async () => {
    const endpoint = await fleet.start(VM, defaultGuestState());
    const started = Date.now();
    const result = await sshExec(endpoint, 'echo going down\nsudo reboot\necho never', login());
    expect(result).toMatchObject({ code: 0, stdout: 'going down\n' });
    expect(await getHealth(endpoint.healthUrl)).toEqual({ status: 'refused' });
    expect(await accepts(endpoint.ip, endpoint.sshPort)).toBe(false);
    await waitFor('health after reboot', async () => (await getHealth(endpoint.healthUrl)).status === 200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(REBOOT_MS - 20);
    const uptime = await sshExec(endpoint, 'cat /proc/uptime', login());
    expect(Number(uptime.stdout.split(' ')[0])).toBeLessThan(5);
  });

  it('refuses a wrong password and an unknown user', async () => {
    const endpoint = await fleet.start(VM, defaultGuestState());
    await expect(sshExec(endpoint, 'true', { username: 'admin', password: 'wrong' })).rejects.toThrow(/authentication methods failed/);
    await expect(sshExec(endpoint, 'true', { username: 'root', password: 'correct horse' })).rejects.toThrow(/authentication methods failed/);
  });

  it('sends stdout and stderr apart, exit statuses as a shell, env from the client', async () => {
    const endpoint = await fleet.start(VM, defaultGuestState());
    expect(await sshExec(endpoint, 'hostname\nfrobnicate', login())).toEqual({ code: 127, stdout: 'prod-web-01\n', stderr: 'bash: frobnicate: command not found\n' });
    expect(await sshExec(endpoint, 'apt-get upgrade -y', login())).toMatchObject({ code: 100, stderr: expect.stringContaining('are you root?') });
    expect((await sshExec(endpoint, 'echo "$TARGET"', { ...login(), env: { TARGET: 'prod' } })).stdout).toBe('prod\n');
  });

  it('a signal from the client ends the running command with that signal', async () => {
    const endpoint = await fleet.start(VM, defaultGuestState());
    const result = await sshExec(endpoint, 'sleep 30; echo never', { ...login(), onStarted: (send) => setTimeout(() => send('TERM'), 50) });
    // The guest sends "TERM" on the wire; ssh2's client reports it with the SIG prefix.
    expect(result).toMatchObject({ code: null, signal: 'SIGTERM', stdout: '' });
  });

  it('stop drops open sessions promptly and refuses new connections; start again works', async () => {
    const endpoint = await fleet.start(VM, defaultGuestState());
    const session = sshExec(endpoint, 'sleep 30', login()).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const began = Date.now();
    await fleet.stop(VM.extId);
    await session;
    expect(Date.now() - began).toBeLessThan(1_500);
    expect(await accepts(endpoint.ip, endpoint.sshPort)).toBe(false);
    expect(await getHealth(endpoint.healthUrl)).toEqual({ status: 'refused' });
    expect(fleet.state(VM.extId)).toBeUndefined();
    expect(fleet.endpoint(VM.extId)).toBeUndefined();
    // Powered on again, the VM keeps its address.
    expect(await fleet.start(VM, defaultGuestState())).toEqual(endpoint);
  });

  it('close stops every guest, even one in the middle of a reboot', async () => {
    const a = await fleet.start(VM, defaultGuestState());
    const b = await fleet.start({ extId: 'vm-2', name: 'uat-web-01' }, defaultGuestState());
    expect(b.ip).not.toBe(a.ip);
    await sshExec(a, 'sudo reboot', login());
    await fleet.close();
    await new Promise((resolve) => setTimeout(resolve, REBOOT_MS + 100));
    for (const endpoint of [a, b]) {
      expect(await accepts(endpoint.ip, endpoint.sshPort)).toBe(false);
      expect(await accepts(endpoint.ip, endpoint.httpPort)).toBe(false);
    }
    await expect(fleet.start(VM, defaultGuestState())).rejects.toThrow(/closed/);
  });
});
