import type { GuestState } from './types.js';

/**
 * The guests' package model, as plain functions over GuestState: an Ubuntu 22.04 image, a
 * repository that always has a newer build of a few security-relevant packages (so every
 * `apt update` finds upgrades, as a real server months after its image was built would),
 * and what update / upgrade / install do to the state.
 */

const INSTALLED: Record<string, string> = {
  apt: '2.4.12',
  'base-files': '12ubuntu4.6',
  bash: '5.1-6ubuntu1.1',
  'ca-certificates': '20230311ubuntu0.22.04.1',
  coreutils: '8.32-4.1ubuntu1.2',
  cron: '3.0pl1-137ubuntu3',
  curl: '7.81.0-1ubuntu1.16',
  dpkg: '1.21.1ubuntu2.3',
  libc6: '2.35-0ubuntu3.7',
  libcurl4: '7.81.0-1ubuntu1.16',
  libssl3: '3.0.2-0ubuntu1.15',
  'linux-image-generic': '5.15.0.105.102',
  nginx: '1.18.0-6ubuntu14.4',
  'openssh-client': '1:8.9p1-3ubuntu0.7',
  'openssh-server': '1:8.9p1-3ubuntu0.7',
  openssl: '3.0.2-0ubuntu1.15',
  python3: '3.10.6-1~22.04',
  rsyslog: '8.2112.0-2ubuntu2.2',
  sudo: '1.9.9-1ubuntu2.4',
  systemd: '249.11-0ubuntu3.12',
  tzdata: '2024a-0ubuntu0.22.04',
  'unattended-upgrades': '2.8ubuntu1',
  'vim-tiny': '2:8.2.3995-1ubuntu2.16',
};

/** Packages the repository publishes new builds of; installed ones among them are always upgradable. */
const UPDATE_STREAM = ['curl', 'libc6', 'libcurl4', 'libssl3', 'nginx', 'openssh-client', 'openssh-server', 'openssl', 'sudo', 'systemd'];

/** Not installed on the image, but `apt install` finds them. */
export const AVAILABLE: Readonly<Record<string, string>> = {
  chrony: '4.2-2ubuntu2',
  'docker.io': '24.0.7-0ubuntu2~22.04.1',
  fail2ban: '0.11.2-6',
  git: '1:2.34.1-1ubuntu1.11',
  htop: '3.0.5-7build2',
  jq: '1.6-2.1ubuntu3',
  'net-tools': '1.60+git20181103.0eebece-1ubuntu5',
  'postgresql-client': '14+238',
  'python3-pip': '22.0.2+dfsg-1ubuntu0.4',
  'redis-tools': '5:6.0.16-1ubuntu1',
  tmux: '3.2a-4ubuntu0.2',
  unzip: '6.0-26ubuntu3.2',
  vim: '2:8.2.3995-1ubuntu2.16',
};

/** A fresh guest: the image's packages, with the upgrades its package cache already knows of. */
export function defaultGuestState(): GuestState {
  const packages = { ...INSTALLED };
  return { packages, broken: false, pendingUpgrades: upgradable(packages) };
}

/** The next build of a version: its last number goes up by one (`1ubuntu1.15` → `1ubuntu1.16`). */
export function nextVersion(version: string): string {
  const match = /(\d+)(\D*)$/.exec(version);
  if (match === null) return `${version}.1`;
  return `${version.slice(0, match.index)}${Number(match[1]) + 1}${match[2]}`;
}

function upgradable(packages: Record<string, string>): Record<string, string> {
  const pending: Record<string, string> = {};
  for (const name of UPDATE_STREAM) {
    const installed = packages[name];
    if (installed !== undefined) pending[name] = nextVersion(installed);
  }
  return pending;
}

/** `apt update`: the index now lists the repository's newer builds of installed packages. */
export function refreshIndex(state: GuestState): GuestState {
  return { ...state, pendingUpgrades: upgradable(state.packages) };
}

export interface PackageChange {
  name: string;
  from?: string;
  to: string;
}

export interface UpgradeResult {
  state: GuestState;
  changes: PackageChange[];
}

/**
 * `apt upgrade`: installs what the index says is pending. A bad patch breaks the guest even
 * when nothing was pending: the fault stands for "the next upgrade you run is the bad one".
 */
export function applyUpgrades(state: GuestState, now: Date, badPatch: boolean): UpgradeResult {
  const pending = state.pendingUpgrades ?? {};
  const changes = Object.entries(pending)
    .filter(([name, version]) => state.packages[name] !== undefined && state.packages[name] !== version)
    .map(([name, to]) => ({ name, from: state.packages[name]!, to }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const packages = { ...state.packages };
  for (const change of changes) packages[change.name] = change.to;
  const next: GuestState = { ...state, packages, pendingUpgrades: {}, broken: state.broken || badPatch };
  if (changes.length > 0 || badPatch) next.lastPatchedAt = now.toISOString();
  return { state: next, changes };
}

export interface InstallRequest {
  name: string;
  version?: string;
}

export type InstallResult = { ok: true; state: GuestState; changes: PackageChange[]; current: PackageChange[] } | { ok: false; error: string };

/**
 * `apt install name[=version]…`: a name must be installed, pending or in AVAILABLE (else apt's
 * "Unable to locate package"); any version of a known package is taken as published.
 * `current` lists those already at the wanted version ("already the newest version").
 */
export function installPackages(state: GuestState, requests: InstallRequest[]): InstallResult {
  const pending = state.pendingUpgrades ?? {};
  const changes: PackageChange[] = [];
  const current: PackageChange[] = [];
  for (const request of requests) {
    const installed = state.packages[request.name];
    const newest = pending[request.name] ?? installed ?? AVAILABLE[request.name];
    if (newest === undefined) return { ok: false, error: `Unable to locate package ${request.name}` };
    const to = request.version ?? newest;
    if (installed === to) current.push({ name: request.name, from: installed, to });
    else changes.push(installed === undefined ? { name: request.name, to } : { name: request.name, from: installed, to });
  }
  const packages = { ...state.packages };
  const remaining = { ...pending };
  for (const change of changes) {
    packages[change.name] = change.to;
    if (remaining[change.name] === change.to) delete remaining[change.name];
  }
  return { ok: true, state: { ...state, packages, pendingUpgrades: remaining }, changes, current };
}

/** `uname -r` of the installed kernel package (`5.15.0.105.102` → `5.15.0-105-generic`). */
export function kernelRelease(state: GuestState): string {
  const [major = '5', minor = '15', patch = '0', abi = '105'] = (state.packages['linux-image-generic'] ?? '').split('.');
  return `${major}.${minor}.${patch}-${abi}-generic`;
}
