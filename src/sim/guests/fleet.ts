import { randomBytes } from 'node:crypto';
import { ErrorCode, PatchbayError } from '../../errors.js';
import { AddressBook, type AddressingMode, PORTS_PLAN, loopbackPlan } from './addressing.js';
import { Guest } from './guest.js';
import { knownHostsText, loadGuestHostKey } from './host-key.js';
import type { GuestEndpoint, GuestFleet, GuestState, GuestVm } from './types.js';

export interface GuestFleetOptions {
  /** auto (default): own loopback address per VM, allocated ports where that cannot bind; loopback: own address or fail; ports: allocated ports only. */
  addressing?: AddressingMode;
  /** First three octets and a dot, e.g. '127.0.0.' (default); tests pick a random '127.a.b.' so parallel files never collide. */
  loopbackPrefix?: string;
  /** Where the guests' ed25519 host key is kept across runs; absent = a key for this process only. */
  hostKeyDir?: string;
  /** How long SSH and health stay down after a reboot or a revert (default 3000). */
  rebootMs?: number;
  /** Simulated duration of package-manager commands (default 0). */
  commandDelayMs?: number;
  /** The one login every guest accepts: default `admin` and a generated password. */
  username?: string;
  password?: string;
  log?: (line: string) => void;
}

const DEFAULT_REBOOT_MS = 3_000;

/**
 * The simulated guests of a Prism Central simulator. Every guest presents the same host key
 * and accepts the same login, so one known_hosts text and one pair of secrets serve every flow.
 */
export function createGuestFleet(options: GuestFleetOptions = {}): GuestFleet {
  const mode = options.addressing ?? 'auto';
  const prefix = options.loopbackPrefix ?? '127.0.0.';
  if (!/^(\d{1,3}\.){3}$/.test(prefix)) throw new PatchbayError(ErrorCode.CONFIG_INVALID, `loopbackPrefix must be three octets and a dot, like 127.0.0., not ${prefix}`);
  const hostKey = loadGuestHostKey(options.hostKeyDir);
  const credentials = Object.freeze({ username: options.username ?? 'admin', password: options.password ?? randomBytes(12).toString('base64url') });
  const log = options.log ?? (() => undefined);
  const book = new AddressBook(mode, prefix);
  const guests = new Map<string, Guest>();
  const starting = new Map<string, Promise<GuestEndpoint>>();
  const badPatches = new Set<string>();
  const listeners: ((extId: string, state: GuestState) => void)[] = [];
  let closed = false;

  const deps = {
    hostKey: hostKey.privateKey,
    credentials,
    rebootMs: options.rebootMs ?? DEFAULT_REBOOT_MS,
    commandDelayMs: options.commandDelayMs ?? 0,
    badPatchArmed: (name: string) => badPatches.has(name),
    stateChanged: (extId: string, state: GuestState) => {
      for (const listener of listeners) {
        // One faulty listener must not stop the others or the command that changed the state.
        try {
          listener(extId, structuredClone(state));
        } catch (error) {
          log(`guest state listener failed: ${(error as Error).message}`);
        }
      }
    },
    log,
  };

  async function boot(vm: GuestVm, state: GuestState): Promise<GuestEndpoint> {
    const guest = new Guest(vm, state, deps);
    const ip = book.assign(vm.extId, vm.ip);
    const endpoint = await guest.boot(ip === undefined ? PORTS_PLAN : loopbackPlan(ip), mode === 'auto');
    guests.set(vm.extId, guest);
    log(`guest ${vm.name} is on: ssh ${endpoint.ip}:${endpoint.sshPort}, ${endpoint.healthUrl}`);
    return endpoint;
  }

  const running = (extId: string) => {
    const guest = guests.get(extId);
    return guest?.running ? guest : undefined;
  };

  return {
    credentials,
    async start(vm, state) {
      if (closed) throw new PatchbayError(ErrorCode.CONFLICT, 'the guest fleet is closed');
      // Powering on a VM that is already on changes nothing; concurrent calls share one start.
      const pending = starting.get(vm.extId);
      if (pending !== undefined) return pending;
      const current = running(vm.extId);
      if (current?.endpoint !== undefined) return current.endpoint;
      // A guest that did not come back from a reboot is discarded and booted afresh.
      await guests.get(vm.extId)?.stop();
      guests.delete(vm.extId);
      const started = boot(vm, state).finally(() => starting.delete(vm.extId));
      starting.set(vm.extId, started);
      return started;
    },
    async stop(extId) {
      await starting.get(extId)?.catch(() => undefined);
      const guest = guests.get(extId);
      guests.delete(extId);
      await guest?.stop();
    },
    state: (extId) => running(extId)?.state(),
    async restore(extId, state) {
      await running(extId)?.restore(state);
    },
    setBadPatch(vmName, on) {
      if (on) badPatches.add(vmName);
      else badPatches.delete(vmName);
    },
    onStateChange(listener) {
      listeners.push(listener);
    },
    endpoint: (extId) => running(extId)?.endpoint,
    knownHosts: () => knownHostsText(hostKey, book.patterns()),
    async close() {
      closed = true;
      await Promise.all([...starting.values()].map((promise) => promise.catch(() => undefined)));
      const all = [...guests.values()];
      guests.clear();
      await Promise.all(all.map((guest) => guest.stop()));
    },
  };
}
