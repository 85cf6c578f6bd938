import { describe, expect, it } from 'vitest';
import { GUEST_COMMANDS } from '../../../../src/sim/guests/commands.js';
import { defaultGuestState } from '../../../../src/sim/guests/packages.js';
import { type GuestMachine, runScript } from '../../../../src/sim/guests/shell.js';
import type { GuestState } from '../../../../src/sim/guests/types.js';

const BOOT = new Date('2024-05-01T10:00:00Z');
const NOW = new Date('2024-05-01T10:07:30Z');

/** A guest machine as plain data: the interpreter's real collaborator, with its state changes recorded. */
function machine(options: { state?: GuestState; badPatch?: boolean } = {}): GuestMachine & { changes: GuestState[] } {
  let current = options.state ?? defaultGuestState();
  const changes: GuestState[] = [];
  return {
    hostname: 'prod-web-01',
    bootedAt: BOOT,
    commandDelayMs: 0,
    now: () => NOW,
    state: () => current,
    setState: (next) => {
      current = next;
      changes.push(next);
    },
    badPatchArmed: () => options.badPatch ?? false,
    changes,
  };
}

async function sh(script: string, options: { user?: string; guest?: GuestMachine; env?: Record<string, string>; signal?: AbortSignal } = {}) {
  let stdout = '';
  let stderr = '';
  const guest = options.guest ?? machine();
  const session = { user: options.user ?? 'admin', env: options.env ?? {}, signal: options.signal ?? new AbortController().signal, commands: GUEST_COMMANDS };
  const result = await runScript(script, guest, session, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { ...result, stdout, stderr };
}

describe('guest shell: exit statuses and control', () => {
  it('returns the status of the last command; && stops at a failure, || runs on one', async () => {
    expect(await sh('false\ntrue')).toMatchObject({ exitCode: 0 });
    expect(await sh('true; false')).toMatchObject({ exitCode: 1 });
    expect(await sh('false && echo no')).toMatchObject({ exitCode: 1, stdout: '' });
    expect(await sh('false || echo yes && echo and')).toMatchObject({ exitCode: 0, stdout: 'yes\nand\n' });
    expect(await sh('true || echo skipped')).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('honours set -e: the first failed list ends the script, a failed && left side does not', async () => {
    expect(await sh('set -e\nfalse\necho after')).toMatchObject({ exitCode: 1, stdout: '' });
    expect(await sh('set -euo pipefail\nfalse && echo x\necho after')).toMatchObject({ exitCode: 0, stdout: 'after\n' });
    expect(await sh('false\necho after')).toMatchObject({ exitCode: 0, stdout: 'after\n' });
  });

  it('exit ends the script with its status', async () => {
    expect(await sh('echo a; exit 3; echo b')).toMatchObject({ exitCode: 3, stdout: 'a\n' });
    expect(await sh('false; exit')).toMatchObject({ exitCode: 1 });
  });

  it('an unknown command is "command not found" on stderr, exit 127', async () => {
    expect(await sh('frobnicate --now')).toEqual({ exitCode: 127, reboot: false, stdout: '', stderr: 'bash: frobnicate: command not found\n' });
    expect(await sh('sudo frobnicate')).toMatchObject({ exitCode: 1, stderr: 'sudo: frobnicate: command not found\n' });
  });

  it('a syntax it does not model fails the whole script with exit 2 before running anything', async () => {
    const result = await sh('echo first\napt list --upgradable | wc -l');
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toMatch(/^bash: a pipe/);
  });

  it('expands variables from the session env, assignments and $?', async () => {
    const result = await sh('echo "$VM on $HOSTNAME as $USER"; GREETING=hi; echo $GREETING; false; echo $?', { env: { VM: 'prod-web-01' } });
    expect(result.stdout).toBe('prod-web-01 on prod-web-01 as admin\nhi\n1\n');
  });

  it('sends output where redirections say', async () => {
    const result = await sh('echo warn >&2; echo quiet >/dev/null; frobnicate 2>/dev/null; echo both &>/dev/null; echo err 2>&1');
    expect(result).toMatchObject({ stdout: 'err\n', stderr: 'warn\n', exitCode: 0 });
  });

  it('stops with TERM when the session is aborted during a sleep', async () => {
    const controller = new AbortController();
    const running = sh('sleep 30; echo never', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await running).toMatchObject({ exitCode: null, signal: 'TERM', stdout: '' });
  });
});

describe('guest shell: sudo and privileges', () => {
  it('apt upgrade without sudo fails as apt does ("are you root?", exit 100) and changes nothing', async () => {
    const guest = machine();
    const result = await sh('apt-get upgrade -y', { guest });
    expect(result.exitCode).toBe(100);
    expect(result.stderr).toContain('are you root?');
    expect(guest.changes).toEqual([]);
    expect((await sh('apt-get update', { guest })).exitCode).toBe(100);
    expect((await sh('yum update -y', { guest })).stderr).toContain('superuser privileges');
  });

  it('understands sudo, sudo -n, -u root, env prefixes and DEBIAN_FRONTEND', async () => {
    for (const line of ['sudo apt-get upgrade -y', 'sudo -n apt-get -q -y upgrade', 'sudo -u root apt-get upgrade -y', 'sudo DEBIAN_FRONTEND=noninteractive apt-get upgrade -y', 'DEBIAN_FRONTEND=noninteractive sudo -E apt-get -qq upgrade --yes', 'sudo env DEBIAN_FRONTEND=noninteractive apt-get dist-upgrade -y']) {
      const guest = machine();
      const result = await sh(line, { guest });
      expect(result.exitCode, line).toBe(0);
      expect(guest.changes, line).toHaveLength(1);
    }
  });

  it('root needs no sudo; sudo to another user drops root', async () => {
    expect((await sh('apt-get upgrade -y', { user: 'root' })).exitCode).toBe(0);
    expect((await sh('sudo -u nobody apt-get upgrade -y')).exitCode).toBe(100);
    expect((await sh('whoami; sudo whoami')).stdout).toBe('admin\nroot\n');
    expect(await sh('sudo -Z true')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('invalid option') });
  });
});

describe('guest shell: package management', () => {
  it('apt update then upgrade: pending upgrades found, applied, patch time recorded', async () => {
    const guest = machine({ state: { ...defaultGuestState(), pendingUpgrades: {} } });
    const update = await sh('sudo apt update', { guest });
    expect(update.stdout).toMatch(/\d+ packages can be upgraded\. Run 'apt list --upgradable' to see them\./);
    expect(update.stderr).toContain('WARNING: apt does not have a stable CLI interface');
    const pending = guest.state().pendingUpgrades!;
    expect(Object.keys(pending)).toContain('openssl');
    const upgrade = await sh('sudo apt upgrade -y', { guest });
    expect(upgrade.exitCode).toBe(0);
    expect(upgrade.stdout).toContain(`Setting up openssl (${pending.openssl}) ...`);
    expect(upgrade.stdout).toMatch(new RegExp(`${Object.keys(pending).length} upgraded, 0 newly installed`));
    expect(guest.state()).toMatchObject({ broken: false, lastPatchedAt: NOW.toISOString(), pendingUpgrades: {} });
    expect(guest.state().packages.openssl).toBe(pending.openssl);
    // Ubuntu's reboot flag appears once a patch landed after the boot.
    expect((await sh('[ -f /var/run/reboot-required ] && echo reboot-needed', { guest })).stdout).toBe('reboot-needed\n');
  });

  it('without -y, apt and yum ask, get no answer and abort without changes', async () => {
    const guest = machine();
    const apt = await sh('sudo apt-get upgrade', { guest });
    expect(apt).toMatchObject({ exitCode: 1, stdout: expect.stringContaining('Do you want to continue? [Y/n] Abort.') });
    expect((await sh('sudo yum update', { guest })).exitCode).toBe(1);
    expect(guest.changes).toEqual([]);
  });

  it('the bad-patch fault breaks the guest on upgrade; nginx then reports failed', async () => {
    const guest = machine({ badPatch: true });
    expect((await sh('sudo apt-get update && sudo apt-get full-upgrade -y', { guest })).exitCode).toBe(0);
    expect(guest.state().broken).toBe(true);
    expect(await sh('systemctl is-active nginx', { guest })).toMatchObject({ exitCode: 3, stdout: 'failed\n' });
    expect((await sh('sudo systemctl restart nginx', { guest })).exitCode).toBe(1);
    expect(await sh('systemctl is-active ssh', { guest })).toMatchObject({ exitCode: 0, stdout: 'active\n' });
  });

  it('apt install: new, pinned, already newest, unknown', async () => {
    const guest = machine();
    const result = await sh('sudo apt-get install -y htop nginx=1.18.0-6ubuntu14.9 bash', { guest });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`bash is already the newest version (${guest.state().packages.bash}).`);
    expect(result.stdout).toContain('The following NEW packages will be installed:\n  htop');
    expect(guest.state().packages).toMatchObject({ htop: expect.any(String), nginx: '1.18.0-6ubuntu14.9' });
    expect(await sh('sudo apt install -y no-such-thing', { guest })).toMatchObject({ exitCode: 100, stderr: expect.stringContaining('E: Unable to locate package no-such-thing') });
  });

  it('yum / dnf update refreshes and upgrades in one go; install finds known packages', async () => {
    const guest = machine({ state: { ...defaultGuestState(), pendingUpgrades: {} } });
    const result = await sh('sudo yum update -y', { guest });
    expect(result).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('Complete!') });
    expect(guest.state().lastPatchedAt).toBe(NOW.toISOString());
    expect((await sh('sudo dnf install -y jq', { guest })).exitCode).toBe(0);
    expect(guest.state().packages.jq).toBeDefined();
    expect(await sh('sudo yum install -y nope', { guest })).toMatchObject({ exitCode: 1, stderr: 'Error: Unable to find a match: nope\n' });
  });

  it('lists packages with dpkg -l and rpm -qa', async () => {
    const state = defaultGuestState();
    expect((await sh('dpkg -l')).stdout).toContain(`ii  ${'openssl'.padEnd(28)} ${state.packages.openssl!.padEnd(36)} amd64`);
    expect((await sh('rpm -qa')).stdout).toContain(`openssl-${state.packages.openssl}.x86_64\n`);
    expect(await sh('dpkg -l no-such')).toMatchObject({ exitCode: 1 });
  });
});

describe('guest shell: system commands', () => {
  it('answers hostname, uname, os-release, uptime, echo', async () => {
    const result = await sh('hostname; uname -a; cat /etc/os-release; uptime; echo -n a; echo b');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('prod-web-01\nLinux prod-web-01 5.15.0-105-generic ');
    expect(result.stdout).toContain('ID=ubuntu\n');
    expect(result.stdout).toContain(' 10:07:30 up 7 min,  1 user,  load average:');
    expect(result.stdout.endsWith('ab\n')).toBe(true);
    expect(await sh('cat /etc/shadow')).toMatchObject({ exitCode: 1, stderr: 'cat: /etc/shadow: No such file or directory\n' });
  });

  it('reboot and shutdown -r need root, then end the script and ask for a reboot', async () => {
    expect(await sh('reboot')).toMatchObject({ exitCode: 1, reboot: false, stderr: expect.stringContaining('Interactive authentication required') });
    expect(await sh('sudo reboot; echo never')).toMatchObject({ exitCode: 0, reboot: true, stdout: '' });
    expect(await sh('echo patched && sudo shutdown -r now && echo never')).toMatchObject({ exitCode: 0, reboot: true, stdout: 'patched\n' });
    expect(await sh('sudo systemctl reboot')).toMatchObject({ reboot: true });
    expect(await sh('sudo poweroff')).toMatchObject({ exitCode: 1, reboot: false });
  });
});
