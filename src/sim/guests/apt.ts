import { setTimeout as sleep } from 'node:timers/promises';
import { type PackageChange, applyUpgrades, installPackages, refreshIndex } from './packages.js';
import type { Invocation } from './shell.js';

/**
 * `apt` and `apt-get` as patch flows use them: update, upgrade / full-upgrade / dist-upgrade,
 * install, list. Output follows apt's, including its refusals (not root: exit 100 "are you
 * root?"; changes without `-y` and no terminal to ask on: "Abort.", exit 1).
 */

const LOCK_ERROR = 'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n';
const LISTS_LOCK_ERROR = 'E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\n';
const CLI_WARNING = '\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n';
const READING = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n';
const MIRROR = 'http://archive.ubuntu.com/ubuntu jammy-updates/main amd64';

interface AptLine {
  verb: string | undefined;
  args: string[];
  yes: boolean;
  upgradable: boolean;
  installed: boolean;
}

/** Options are accepted anywhere on the line, as apt does; `-o Key=Value` takes the next word. */
export function parseAptLine(argv: string[]): AptLine | { error: string } {
  const line: AptLine = { verb: undefined, args: [], yes: false, upgradable: false, installed: false };
  for (let i = 1; i < argv.length; i += 1) {
    const word = argv[i]!;
    if (word === '-o' || word === '-c' || word === '-t') i += 1;
    else if (word === '-y' || word === '--yes' || word === '--assume-yes' || /^-[a-z]*y[a-z]*$/.test(word)) line.yes = true;
    else if (word === '--upgradable') line.upgradable = true;
    else if (word === '--installed') line.installed = true;
    else if (word.startsWith('-')) {
      if (!/^(-q+|--quiet(=\d)?|-f|--fix-broken|--no-install-recommends|--with-new-pkgs|--only-upgrade|--allow-downgrades|-o.+|--force-yes|--allow-unauthenticated)$/.test(word)) {
        return { error: `E: Command line option '${word}' is not understood in combination with the other options.\n` };
      }
    } else if (line.verb === undefined) line.verb = word;
    else line.args.push(word);
  }
  return line;
}

/** Waits the simulated time a package operation takes; rejects when the session ends meanwhile. */
export async function working(invocation: Invocation): Promise<void> {
  if (invocation.machine.commandDelayMs > 0) await sleep(invocation.machine.commandDelayMs, undefined, { signal: invocation.signal });
}

export async function apt(invocation: Invocation): Promise<number> {
  const tool = invocation.argv[0]!;
  const line = parseAptLine(invocation.argv);
  if ('error' in line) {
    invocation.err(line.error);
    return 100;
  }
  if (tool === 'apt') invocation.err(CLI_WARNING);
  const { machine } = invocation;
  switch (line.verb) {
    case 'update': {
      if (!invocation.root) {
        invocation.out('Reading package lists...\n');
        invocation.err(LISTS_LOCK_ERROR);
        return 100;
      }
      await working(invocation);
      const next = refreshIndex(machine.state());
      machine.setState(next);
      invocation.out(
        'Hit:1 http://archive.ubuntu.com/ubuntu jammy InRelease\nGet:2 http://archive.ubuntu.com/ubuntu jammy-updates InRelease [128 kB]\n' +
          'Get:3 http://security.ubuntu.com/ubuntu jammy-security InRelease [129 kB]\nFetched 257 kB in 1s (257 kB/s)\nReading package lists...\n',
      );
      if (tool === 'apt') {
        const count = Object.keys(next.pendingUpgrades ?? {}).length;
        invocation.out(`Building dependency tree...\nReading state information...\n${count === 0 ? 'All packages are up to date.' : `${count} package${count === 1 ? ' can' : 's can'} be upgraded. Run 'apt list --upgradable' to see them.`}\n`);
      }
      return 0;
    }
    case 'upgrade':
    case 'full-upgrade':
    case 'dist-upgrade': {
      if (!invocation.root) return refuse(invocation);
      await working(invocation);
      invocation.out(`${READING}Calculating upgrade...\n`);
      const before = machine.state();
      const result = applyUpgrades(before, machine.now(), machine.badPatchArmed());
      if (result.changes.length > 0 && !line.yes) return abort(invocation, result.changes, []);
      report(invocation, result.changes, [], 0);
      if (result.changes.length > 0 || result.state.broken !== before.broken) machine.setState(result.state);
      return 0;
    }
    case 'install': {
      if (line.args.length === 0) {
        invocation.out(`${READING}0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n`);
        return 0;
      }
      if (!invocation.root) return refuse(invocation);
      await working(invocation);
      invocation.out(READING);
      const requests = line.args.map((arg) => {
        const [name, version] = arg.split('=', 2);
        return version === undefined ? { name: name! } : { name: name!, version };
      });
      const result = installPackages(machine.state(), requests);
      if (!result.ok) {
        invocation.err(`E: ${result.error}\n`);
        return 100;
      }
      for (const current of result.current) invocation.out(`${current.name} is already the newest version (${current.to}).\n`);
      const upgrades = result.changes.filter((change) => change.from !== undefined);
      const installs = result.changes.filter((change) => change.from === undefined);
      if (result.changes.length > 0 && !line.yes) return abort(invocation, upgrades, installs);
      report(invocation, upgrades, installs, Object.keys(result.state.pendingUpgrades ?? {}).length);
      if (result.changes.length > 0) machine.setState(result.state);
      return 0;
    }
    case 'list':
      return list(invocation, line);
    case undefined:
      invocation.out(`${tool} 2.4.12 (amd64)\nUsage: ${tool} [options] command\n`);
      return 1;
    default:
      invocation.err(`E: Invalid operation ${line.verb}\n`);
      return 1;
  }
}

function refuse(invocation: Invocation): number {
  invocation.err(LOCK_ERROR);
  return 100;
}

/** apt asks before changing anything; over a non-interactive session nobody answers. */
function abort(invocation: Invocation, upgrades: PackageChange[], installs: PackageChange[]): number {
  summary(invocation, upgrades, installs, 0);
  invocation.out('Do you want to continue? [Y/n] Abort.\n');
  return 1;
}

function summary(invocation: Invocation, upgrades: PackageChange[], installs: PackageChange[], notUpgraded: number): void {
  if (installs.length > 0) invocation.out(`The following NEW packages will be installed:\n  ${installs.map((change) => change.name).join(' ')}\n`);
  if (upgrades.length > 0) invocation.out(`The following packages will be upgraded:\n  ${upgrades.map((change) => change.name).join(' ')}\n`);
  invocation.out(`${upgrades.length} upgraded, ${installs.length} newly installed, 0 to remove and ${notUpgraded} not upgraded.\n`);
}

/** What apt prints while it downloads, unpacks and configures `changes`. */
function report(invocation: Invocation, upgrades: PackageChange[], installs: PackageChange[], notUpgraded: number): void {
  summary(invocation, upgrades, installs, notUpgraded);
  const all = [...installs, ...upgrades];
  if (all.length === 0) return;
  const size = (change: PackageChange) => 40 + ((change.name.length * 37 + change.to.length * 11) % 900);
  const total = all.reduce((sum, change) => sum + size(change), 0);
  invocation.out(`Need to get ${total} kB of archives.\nAfter this operation, ${installs.length * 512} kB of additional disk space will be used.\n`);
  all.forEach((change, index) => invocation.out(`Get:${index + 1} ${MIRROR} ${change.name} amd64 ${change.to} [${size(change)} kB]\n`));
  invocation.out(`Fetched ${total} kB in 1s (${total} kB/s)\n(Reading database ... 74512 files and directories currently installed.)\n`);
  for (const change of all) {
    invocation.out(`Preparing to unpack .../${change.name}_${change.to.replace(/^\d+:/, '')}_amd64.deb ...\n`);
    invocation.out(`Unpacking ${change.name} (${change.to})${change.from === undefined ? '' : ` over (${change.from})`} ...\n`);
  }
  for (const change of all) invocation.out(`Setting up ${change.name} (${change.to}) ...\n`);
  invocation.out('Processing triggers for man-db (2.10.2-1) ...\nProcessing triggers for libc-bin (2.35-0ubuntu3.7) ...\n');
}

function list(invocation: Invocation, line: AptLine): number {
  const state = invocation.machine.state();
  invocation.out('Listing...\n');
  if (line.upgradable) {
    for (const [name, version] of Object.entries(state.pendingUpgrades ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (state.packages[name] !== undefined && state.packages[name] !== version) {
        invocation.out(`${name}/jammy-updates ${version} amd64 [upgradable from: ${state.packages[name]}]\n`);
      }
    }
    return 0;
  }
  for (const [name, version] of Object.entries(state.packages).sort(([a], [b]) => a.localeCompare(b))) {
    invocation.out(`${name}/jammy,now ${version} amd64 [installed]\n`);
  }
  return 0;
}
