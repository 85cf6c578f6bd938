import { setTimeout as sleepFor } from 'node:timers/promises';
import { apt } from './apt.js';
import { kernelRelease } from './packages.js';
import { powerOff, reboot, shutdown, systemctl } from './services.js';
import type { CommandImpl, Invocation } from './shell.js';
import { yum } from './yum.js';

/**
 * The programs installed on a simulated guest. Anything not in GUEST_COMMANDS is "command not
 * found" (exit 127), so a flow that relies on a program the simulator does not model fails
 * visibly instead of appearing to work.
 */

const OS_RELEASE = `PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
UBUNTU_CODENAME=jammy
`;
const LSB_RELEASE = 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"\n';

/** A reboot is pending while the last patch is newer than the boot (Ubuntu's /var/run/reboot-required). */
function rebootRequired(invocation: Invocation): boolean {
  const patched = invocation.machine.state().lastPatchedAt;
  return patched !== undefined && Date.parse(patched) >= invocation.machine.bootedAt.getTime();
}

/** The few files flows read, by path; undefined when the guest has no such file. */
function readFile(invocation: Invocation, path: string): string | undefined {
  const { machine } = invocation;
  switch (path) {
    case '/etc/os-release':
    case '/usr/lib/os-release':
      return OS_RELEASE;
    case '/etc/lsb-release':
      return LSB_RELEASE;
    case '/etc/hostname':
      return `${machine.hostname}\n`;
    case '/proc/uptime':
      return `${uptimeSeconds(invocation).toFixed(2)} 0.00\n`;
    case '/var/run/reboot-required':
    case '/run/reboot-required':
      return rebootRequired(invocation) ? '*** System restart required ***\n' : undefined;
    default:
      return undefined;
  }
}

const uptimeSeconds = (invocation: Invocation) => Math.max(0, (invocation.machine.now().getTime() - invocation.machine.bootedAt.getTime()) / 1000);

function echo(invocation: Invocation): number {
  let args = invocation.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args[0] !== undefined && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  const text = args.join(' ');
  invocation.out((escapes ? text.replace(/\\n/g, '\n').replace(/\\t/g, '\t') : text) + (newline ? '\n' : ''));
  return 0;
}

function cat(invocation: Invocation): number {
  let status = 0;
  for (const path of invocation.argv.slice(1)) {
    const content = readFile(invocation, path);
    if (content === undefined) {
      invocation.err(`cat: ${path}: No such file or directory\n`);
      status = 1;
    } else invocation.out(content);
  }
  return status;
}

function uname(invocation: Invocation): number {
  const { machine } = invocation;
  const release = kernelRelease(machine.state());
  const flags = invocation.argv.slice(1).join('');
  if (flags.includes('a')) invocation.out(`Linux ${machine.hostname} ${release} #115-Ubuntu SMP Mon Apr 15 09:52:04 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\n`);
  else if (flags.includes('r')) invocation.out(`${release}\n`);
  else if (flags.includes('n')) invocation.out(`${machine.hostname}\n`);
  else if (flags.includes('m')) invocation.out('x86_64\n');
  else invocation.out('Linux\n');
  return 0;
}

function uptime(invocation: Invocation): number {
  const seconds = uptimeSeconds(invocation);
  const minutes = Math.floor(seconds / 60);
  const up = minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  if (invocation.argv.includes('-p')) invocation.out(`up ${minutes} minute${minutes === 1 ? '' : 's'}\n`);
  else if (invocation.argv.includes('-s')) invocation.out(`${invocation.machine.bootedAt.toISOString().replace('T', ' ').slice(0, 19)}\n`);
  else invocation.out(` ${invocation.machine.now().toISOString().slice(11, 19)} up ${up},  1 user,  load average: 0.08, 0.03, 0.01\n`);
  return 0;
}

async function sleep(invocation: Invocation): Promise<number> {
  const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
  let total = 0;
  for (const arg of invocation.argv.slice(1)) {
    const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
    if (match === null) {
      invocation.err(`sleep: invalid time interval '${arg}'\n`);
      return 1;
    }
    total += Number(match[1]) * units[match[2]!]!;
  }
  if (invocation.argv.length === 1) {
    invocation.err('sleep: missing operand\n');
    return 1;
  }
  await sleepFor(total * 1000, undefined, { signal: invocation.signal });
  return 0;
}

/** `test` / `[`: the file tests and string comparisons patch scripts use. */
function test(invocation: Invocation): number {
  const args = invocation.argv.slice(1);
  if (invocation.argv[0] === '[') {
    if (args.pop() !== ']') {
      invocation.err("bash: [: missing `]'\n");
      return 2;
    }
  }
  const negate = args[0] === '!';
  const rest = negate ? args.slice(1) : args;
  let result: boolean;
  if (rest.length === 2 && /^-[efrsd]$/.test(rest[0]!)) result = readFile(invocation, rest[1]!) !== undefined;
  else if (rest.length === 2 && rest[0] === '-n') result = rest[1] !== '';
  else if (rest.length === 2 && rest[0] === '-z') result = rest[1] === '';
  else if (rest.length === 3 && (rest[1] === '=' || rest[1] === '==')) result = rest[0] === rest[2];
  else if (rest.length === 3 && rest[1] === '!=') result = rest[0] !== rest[2];
  else if (rest.length === 1) result = rest[0] !== '';
  else if (rest.length === 0) result = false;
  else {
    invocation.err(`bash: ${invocation.argv[0]}: expression not supported by the simulated guest\n`);
    return 2;
  }
  return result !== negate ? 0 : 1;
}

function dpkg(invocation: Invocation): number {
  const [option, ...names] = invocation.argv.slice(1);
  if (option !== '-l' && option !== '--list') {
    invocation.err(`dpkg: the simulated guest only understands dpkg -l\n`);
    return 2;
  }
  const packages = Object.entries(invocation.machine.state().packages).sort(([a], [b]) => a.localeCompare(b));
  const shown = names.length === 0 ? packages : packages.filter(([name]) => names.includes(name));
  const missing = names.filter((name) => !packages.some(([installed]) => installed === name));
  invocation.out('Desired=Unknown/Install/Remove/Purge/Hold\n| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n');
  invocation.out(`||/ ${'Name'.padEnd(28)} ${'Version'.padEnd(36)} Architecture\n+++-${'='.repeat(28)}-${'='.repeat(36)}-============\n`);
  for (const [name, version] of shown) invocation.out(`ii  ${name.padEnd(28)} ${version.padEnd(36)} amd64\n`);
  for (const name of missing) invocation.err(`dpkg-query: no packages found matching ${name}\n`);
  return missing.length > 0 ? 1 : 0;
}

function rpm(invocation: Invocation): number {
  const args = invocation.argv.slice(1);
  const packages = Object.entries(invocation.machine.state().packages).sort(([a], [b]) => a.localeCompare(b));
  const line = ([name, version]: [string, string]) => `${name}-${version.replace(/^\d+:/, '')}.x86_64\n`;
  if (args.includes('-qa')) {
    for (const entry of packages) invocation.out(line(entry));
    return 0;
  }
  if (args[0] === '-q') {
    let status = 0;
    for (const name of args.slice(1)) {
      const entry = packages.find(([installed]) => installed === name);
      if (entry) invocation.out(line(entry));
      else {
        invocation.out(`package ${name} is not installed\n`);
        status = 1;
      }
    }
    return status;
  }
  invocation.err('rpm: the simulated guest only understands rpm -qa and rpm -q\n');
  return 1;
}

export const GUEST_COMMANDS: Readonly<Record<string, CommandImpl>> = {
  '[': test,
  apt,
  'apt-get': apt,
  cat,
  date: (invocation) => (invocation.out(`${invocation.machine.now().toUTCString().replace('GMT', 'UTC')}\n`), 0),
  dnf: yum,
  dpkg,
  echo,
  false: () => 1,
  halt: powerOff,
  hostname: (invocation) => (invocation.out(`${invocation.machine.hostname}\n`), 0),
  id: (invocation) => (invocation.out(invocation.root ? 'uid=0(root) gid=0(root) groups=0(root)\n' : `uid=1000(${invocation.user}) gid=1000(${invocation.user}) groups=1000(${invocation.user}),27(sudo)\n`), 0),
  poweroff: powerOff,
  reboot,
  rpm,
  shutdown,
  sleep,
  systemctl,
  test,
  true: () => 0,
  uname,
  uptime,
  whoami: (invocation) => (invocation.out(`${invocation.user}\n`), 0),
  yum,
};
