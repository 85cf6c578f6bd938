/**
 * The contract between the Prism Central simulator (src/sim) and its simulated guests
 * (src/sim/guests): the simulator decides when a VM powers on, off, is deleted or reverted;
 * the guest fleet runs each powered-on VM's SSH and HTTP servers and keeps what the guest
 * OS would remember (installed packages, a broken patch) as plain data the simulator
 * persists with the VM and captures in recovery points.
 */

/** What a guest's disk holds, as far as patch flows can tell. Plain JSON: persisted and snapshotted. */
export interface GuestState {
  /** Installed packages, name → version. */
  packages: Record<string, string>;
  /** A bad patch was applied: `GET /health` answers 500 until the VM is reverted to a state without it. */
  broken: boolean;
  /** ISO-8601 time of the last `apt upgrade` / `yum update` that changed something. */
  lastPatchedAt?: string;
  /** Upgrades `apt update` has seen and `apt upgrade` would install, name → version. */
  pendingUpgrades?: Record<string, string>;
}

/** Where a running guest listens. In loopback mode ip is 127.x.y.z with SSH on 22 and HTTP on 80. */
export interface GuestEndpoint {
  ip: string;
  sshPort: number;
  httpPort: number;
  healthUrl: string;
}

export interface GuestVm {
  extId: string;
  name: string;
  /** The address the VM had before (stable across simulator restarts); the fleet may reuse it. */
  ip?: string;
}

export interface GuestFleet {
  /** The VM powered on: start its SSH and HTTP servers; resolves once both listen. */
  start(vm: GuestVm, state: GuestState): Promise<GuestEndpoint>;
  /** The VM powered off or was deleted: servers close, open sessions drop. */
  stop(extId: string): Promise<void>;
  /** The guest's current state (a recovery point captures it), undefined when not running. */
  state(extId: string): GuestState | undefined;
  /** Revert in place: the guest's disk becomes `state` (a reboot follows, as on a real revert). */
  restore(extId: string, state: GuestState): Promise<void>;
  /** Arm or clear the "bad patch" fault of the VM with that name (an upgrade then breaks health). */
  setBadPatch(vmName: string, on: boolean): void;
  /** Called whenever a guest's state changes (so the simulator persists it). */
  onStateChange(listener: (extId: string, state: GuestState) => void): void;
  endpoint(extId: string): GuestEndpoint | undefined;
  /** known_hosts text that verifies every guest this fleet runs or will run. */
  knownHosts(): string;
  /** Login accepted by every guest (password auth; also the flows' GUEST_SSH_* secrets in the demo). */
  readonly credentials: { username: string; password: string };
  close(): Promise<void>;
}
