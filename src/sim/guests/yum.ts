import { working } from './apt.js';
import { type PackageChange, applyUpgrades, installPackages, refreshIndex } from './packages.js';
import type { Invocation } from './shell.js';

/**
 * `yum` / `dnf` for flows written for RHEL-family guests: update / upgrade (which refresh the
 * metadata themselves, so they always see the repository's newest builds), install, check-update.
 * Same package model as apt; output and refusals follow dnf's.
 */

const NOT_ROOT = 'Error: This command has to be run with superuser privileges (under the root user on most systems).\n';
const RULE = `${'='.repeat(80)}\n`;

export async function yum(invocation: Invocation): Promise<number> {
  const words = invocation.argv.slice(1);
  const yes = words.some((word) => word === '-y' || word === '--assumeyes');
  const [verb, ...args] = words.filter((word) => !word.startsWith('-'));
  const { machine } = invocation;
  switch (verb) {
    case 'update':
    case 'upgrade': {
      if (!invocation.root) return refuse(invocation);
      await working(invocation);
      const before = machine.state();
      const result = applyUpgrades(refreshIndex(before), machine.now(), machine.badPatchArmed());
      // `yum update pkg…` limits the transaction to those packages.
      const changes = args.length === 0 ? result.changes : result.changes.filter((change) => args.includes(change.name));
      const state = args.length === 0 ? result.state : { ...result.state, packages: { ...before.packages, ...Object.fromEntries(changes.map((change) => [change.name, change.to])) } };
      return transaction(invocation, changes, [], yes, () => {
        if (changes.length > 0 || state.broken !== before.broken) machine.setState(state);
      });
    }
    case 'install': {
      if (!invocation.root) return refuse(invocation);
      await working(invocation);
      const result = installPackages(machine.state(), args.map((name) => ({ name })));
      if (!result.ok) {
        invocation.err(`Error: Unable to find a match: ${result.error.replace(/^Unable to locate package /, '')}\n`);
        return 1;
      }
      for (const current of result.current) invocation.out(`Package ${current.name}-${current.to}.x86_64 is already installed.\n`);
      const upgrades = result.changes.filter((change) => change.from !== undefined);
      const installs = result.changes.filter((change) => change.from === undefined);
      return transaction(invocation, upgrades, installs, yes, () => {
        if (result.changes.length > 0) machine.setState(result.state);
      });
    }
    case 'check-update': {
      // dnf's convention: exit 100 when updates are available.
      const state = refreshIndex(machine.state());
      const pending = Object.entries(state.pendingUpgrades ?? {}).sort(([a], [b]) => a.localeCompare(b));
      for (const [name, version] of pending) invocation.out(`${name.padEnd(30)} ${version.padEnd(30)} updates\n`);
      return pending.length > 0 ? 100 : 0;
    }
    default:
      invocation.err(verb === undefined ? 'Error: You need to give some command\n' : `No such command: ${verb}. Please use /usr/bin/${invocation.argv[0]} --help\n`);
      return 1;
  }
}

function refuse(invocation: Invocation): number {
  invocation.err(NOT_ROOT);
  return 1;
}

function transaction(invocation: Invocation, upgrades: PackageChange[], installs: PackageChange[], yes: boolean, commit: () => void): number {
  invocation.out(`Last metadata expiration check: 0:00:01 ago on ${invocation.machine.now().toUTCString()}.\n`);
  if (upgrades.length + installs.length === 0) {
    // Still commit: a bad patch lands even when there was nothing new to install.
    commit();
    invocation.out('Dependencies resolved.\nNothing to do.\nComplete!\n');
    return 0;
  }
  invocation.out(`Dependencies resolved.\n${RULE} Package                Arch      Version                        Repository\n${RULE}`);
  const section = (title: string, changes: PackageChange[]) => {
    if (changes.length === 0) return;
    invocation.out(`${title}:\n`);
    for (const change of changes) invocation.out(` ${change.name.padEnd(22)} x86_64    ${change.to.padEnd(30)} updates\n`);
  };
  section('Installing', installs);
  section('Upgrading', upgrades);
  invocation.out(`\nTransaction Summary\n${RULE}`);
  if (installs.length > 0) invocation.out(`Install  ${installs.length} Package${installs.length === 1 ? '' : 's'}\n`);
  if (upgrades.length > 0) invocation.out(`Upgrade  ${upgrades.length} Package${upgrades.length === 1 ? '' : 's'}\n`);
  if (!yes) {
    invocation.out('Is this ok [y/N]: ');
    invocation.err('Operation aborted.\n');
    return 1;
  }
  const all = [...installs, ...upgrades];
  invocation.out('Downloading Packages:\nRunning transaction check\nTransaction check succeeded.\nRunning transaction\n');
  all.forEach((change, index) => invocation.out(`  ${change.from === undefined ? 'Installing' : 'Upgrading '}       : ${change.name}-${change.to}.x86_64    ${index + 1}/${all.length}\n`));
  commit();
  invocation.out('Complete!\n');
  return 0;
}
