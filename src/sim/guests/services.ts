import type { Invocation } from './shell.js';

/**
 * systemd as flows see it: `systemctl is-active|status|restart|reboot`, `reboot`, `shutdown -r`.
 * The web service (nginx) is what a bad patch breaks, so it reports `failed` while the guest
 * is broken, and restarting it does not help: only a revert does.
 */

/** Service → the package that provides it (a service exists while its package is installed). */
const SERVICES: Record<string, string> = {
  cron: 'cron',
  nginx: 'nginx',
  rsyslog: 'rsyslog',
  ssh: 'openssh-server',
  sshd: 'openssh-server',
  'systemd-journald': 'systemd',
  'unattended-upgrades': 'unattended-upgrades',
};
const BREAKS_WITH_BAD_PATCH = 'nginx';

const AUTH_REQUIRED = 'Interactive authentication required.';

type ServiceStatus = 'active' | 'failed' | 'missing';

function status(invocation: Invocation, unit: string): ServiceStatus {
  const name = unit.replace(/\.service$/, '');
  const pkg = SERVICES[name];
  const state = invocation.machine.state();
  if (pkg === undefined || state.packages[pkg] === undefined) return 'missing';
  return name === BREAKS_WITH_BAD_PATCH && state.broken ? 'failed' : 'active';
}

const unitName = (unit: string) => (unit.endsWith('.service') ? unit : `${unit}.service`);

export function systemctl(invocation: Invocation): number {
  const [verb, ...units] = invocation.argv.slice(1).filter((word) => !word.startsWith('-'));
  const quiet = invocation.argv.includes('--quiet') || invocation.argv.includes('-q');
  switch (verb) {
    case 'is-active': {
      const statuses = units.map((unit) => status(invocation, unit));
      if (!quiet) for (const each of statuses) invocation.out(`${each === 'missing' ? 'inactive' : each}\n`);
      return units.length > 0 && statuses.every((each) => each === 'active') ? 0 : 3;
    }
    case 'status': {
      let worst = 0;
      for (const unit of units) {
        const each = status(invocation, unit);
        if (each === 'missing') {
          invocation.err(`Unit ${unitName(unit)} could not be found.\n`);
          worst = Math.max(worst, 4);
          continue;
        }
        const since = invocation.machine.bootedAt.toUTCString();
        invocation.out(`● ${unitName(unit)}\n     Loaded: loaded (/lib/systemd/system/${unitName(unit)}; enabled; vendor preset: enabled)\n`);
        invocation.out(each === 'active' ? `     Active: active (running) since ${since}\n` : `     Active: failed (Result: exit-code) since ${since}\n`);
        if (each === 'failed') worst = Math.max(worst, 3);
      }
      return worst;
    }
    case 'start':
    case 'restart':
    case 'reload':
    case 'try-restart': {
      for (const unit of units) {
        if (!invocation.root) {
          invocation.err(`Failed to ${verb} ${unitName(unit)}: ${AUTH_REQUIRED}\nSee system logs and 'systemctl status ${unitName(unit)}' for details.\n`);
          return 1;
        }
        const each = status(invocation, unit);
        if (each === 'missing') {
          invocation.err(`Failed to ${verb} ${unitName(unit)}: Unit ${unitName(unit)} not found.\n`);
          return 5;
        }
        if (each === 'failed') {
          invocation.err(`Job for ${unitName(unit)} failed because the control process exited with error code.\nSee "systemctl status ${unitName(unit)}" and "journalctl -xeu ${unitName(unit)}" for details.\n`);
          return 1;
        }
      }
      return 0;
    }
    case 'reboot':
      return reboot(invocation);
    default:
      invocation.err(verb === undefined ? 'systemctl: the simulated guest needs a command (is-active, status, restart, reboot)\n' : `Unknown command verb ${verb}.\n`);
      return 1;
  }
}

/** Reboots once the script stops: the session closes, SSH and health go down, then come back. */
export function reboot(invocation: Invocation): number {
  if (!invocation.root) {
    invocation.err(`Failed to set wall message, ignoring: ${AUTH_REQUIRED}\nCall to Reboot failed: ${AUTH_REQUIRED}\n`);
    return 1;
  }
  invocation.reboot();
  return 0;
}

/** `shutdown -r [when]` reboots (at once: the simulated clock does not wait for `+5`); halting is Prism's job. */
export function shutdown(invocation: Invocation): number {
  const options = invocation.argv.slice(1).filter((word) => word.startsWith('-'));
  if (options.some((option) => /^-[a-zA-Z]*r/.test(option) || option === '--reboot')) return reboot(invocation);
  return powerOff(invocation);
}

export function powerOff(invocation: Invocation): number {
  invocation.err(`${invocation.argv[0]}: a simulated guest is powered off from Prism Central (StopVm), not from inside\n`);
  return 1;
}
