import { describe, expect, it } from 'vitest';
import { AVAILABLE, applyUpgrades, defaultGuestState, installPackages, kernelRelease, nextVersion, refreshIndex } from '../../../../src/sim/guests/packages.js';

const NOW = new Date('2024-05-01T10:00:00Z');

describe('guest package model', () => {
  it('starts from a plausible Ubuntu image with upgrades already known to its cache', () => {
    const state = defaultGuestState();
    expect(state.broken).toBe(false);
    expect(state.packages).toMatchObject({ openssl: expect.any(String), 'openssh-server': expect.any(String), nginx: expect.any(String) });
    expect(Object.keys(state.pendingUpgrades ?? {})).toContain('openssl');
    expect(state.pendingUpgrades!.openssl).not.toBe(state.packages.openssl);
    // Each call is a fresh object: mutating one guest's state cannot leak into another.
    state.packages.openssl = 'x';
    expect(defaultGuestState().packages.openssl).not.toBe('x');
  });

  it('bumps the last number of a version', () => {
    expect(nextVersion('3.0.2-0ubuntu1.15')).toBe('3.0.2-0ubuntu1.16');
    expect(nextVersion('1:8.9p1-3ubuntu0.7')).toBe('1:8.9p1-3ubuntu0.8');
    expect(nextVersion('14+238')).toBe('14+239');
    expect(nextVersion('2.8ubuntu1')).toBe('2.8ubuntu2');
    expect(nextVersion('abc')).toBe('abc.1');
  });

  it('upgrade applies what update found, records the time, and leaves nothing pending', () => {
    const refreshed = refreshIndex({ ...defaultGuestState(), pendingUpgrades: {} });
    const pending = refreshed.pendingUpgrades!;
    expect(Object.keys(pending).length).toBeGreaterThan(3);
    const { state, changes } = applyUpgrades(refreshed, NOW, false);
    expect(changes.map((change) => change.name)).toEqual(Object.keys(pending).sort());
    expect(state.packages.openssl).toBe(pending.openssl);
    expect(state.pendingUpgrades).toEqual({});
    expect(state.lastPatchedAt).toBe(NOW.toISOString());
    expect(state.broken).toBe(false);
    // Nothing left to do: no change, no new patch time.
    const again = applyUpgrades(state, new Date('2024-06-01T00:00:00Z'), false);
    expect(again.changes).toEqual([]);
    expect(again.state.lastPatchedAt).toBe(NOW.toISOString());
  });

  it('a bad patch breaks the guest on upgrade, even with nothing pending', () => {
    expect(applyUpgrades(defaultGuestState(), NOW, true).state.broken).toBe(true);
    const { state, changes } = applyUpgrades({ ...defaultGuestState(), pendingUpgrades: {} }, NOW, true);
    expect(changes).toEqual([]);
    expect(state.broken).toBe(true);
    expect(state.lastPatchedAt).toBe(NOW.toISOString());
  });

  it('install adds, upgrades or pins packages and refuses unknown ones', () => {
    const base = defaultGuestState();
    const result = installPackages(base, [{ name: 'htop' }, { name: 'curl' }, { name: 'nginx', version: '1.18.0-6ubuntu14.9' }, { name: 'bash' }]);
    if (!result.ok) throw new Error(result.error);
    expect(result.state.packages.htop).toBe(AVAILABLE.htop);
    expect(result.state.packages.curl).toBe(base.pendingUpgrades!.curl);
    expect(result.state.packages.nginx).toBe('1.18.0-6ubuntu14.9');
    expect(result.state.pendingUpgrades!.curl).toBeUndefined();
    expect(result.current).toEqual([{ name: 'bash', from: base.packages.bash, to: base.packages.bash }]);
    expect(result.changes.find((change) => change.name === 'htop')).toEqual({ name: 'htop', to: AVAILABLE.htop });
    expect(installPackages(base, [{ name: 'htop' }, { name: 'no-such-package' }])).toEqual({ ok: false, error: 'Unable to locate package no-such-package' });
  });

  it('derives uname -r from the kernel package', () => {
    expect(kernelRelease(defaultGuestState())).toBe('5.15.0-105-generic');
  });
});
