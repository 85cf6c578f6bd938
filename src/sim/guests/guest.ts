import type { Server as HttpServer } from 'node:http';
import { type BindPlan, bindGuest, closeServer } from './addressing.js';
import { createHealthServer } from './health-server.js';
import type { GuestMachine } from './shell.js';
import { type GuestSsh, createGuestSsh } from './ssh-server.js';
import type { GuestEndpoint, GuestState, GuestVm } from './types.js';

export interface GuestDeps {
  hostKey: string;
  credentials: { username: string; password: string };
  rebootMs: number;
  commandDelayMs: number;
  badPatchArmed(vmName: string): boolean;
  stateChanged(extId: string, state: GuestState): void;
  log(line: string): void;
}

type Power = 'up' | 'rebooting' | 'stopped';

/**
 * One powered-on VM: its disk state, its SSH and HTTP listeners, and the reboot cycle that
 * closes both and opens them again `rebootMs` later on the same address and ports.
 */
export class Guest implements GuestMachine {
  readonly hostname: string;
  readonly commandDelayMs: number;
  bootedAt = new Date();
  private current: GuestState;
  private power: Power = 'stopped';
  private address: GuestEndpoint | undefined;
  private readonly ssh: GuestSsh;
  private readonly http: HttpServer;
  private rebootTimer: NodeJS.Timeout | undefined;
  /** The listeners coming back after a reboot; stop() waits for it so it cannot leak them. */
  private rebooting: Promise<void> | undefined;
  private generation = 0;

  constructor(
    readonly vm: GuestVm,
    state: GuestState,
    private readonly deps: GuestDeps,
  ) {
    this.hostname = vm.name;
    this.commandDelayMs = deps.commandDelayMs;
    this.current = structuredClone(state);
    this.ssh = createGuestSsh({ hostKey: deps.hostKey, credentials: deps.credentials, machine: this, onReboot: () => void this.reboot().catch((error: Error) => deps.log(`guest ${vm.name}: reboot failed: ${error.message}`)), log: deps.log });
    this.http = createHealthServer({ name: vm.name, bootedAt: () => this.bootedAt, now: () => this.now(), state: () => this.current });
  }

  now(): Date {
    return new Date();
  }

  state(): GuestState {
    return structuredClone(this.current);
  }

  /** Listeners hear of real changes only: a repeated `apt update` need not be persisted again. */
  setState(next: GuestState): void {
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = structuredClone(next);
    this.deps.stateChanged(this.vm.extId, this.state());
  }

  badPatchArmed(): boolean {
    return this.deps.badPatchArmed(this.vm.name);
  }

  get endpoint(): GuestEndpoint | undefined {
    return this.address === undefined ? undefined : { ...this.address };
  }

  get running(): boolean {
    return this.power !== 'stopped';
  }

  async boot(plan: BindPlan, fallback: boolean): Promise<GuestEndpoint> {
    this.address = await bindGuest({ ssh: this.ssh.server, http: this.http }, plan, fallback, this.deps.log);
    this.power = 'up';
    this.bootedAt = this.now();
    return { ...this.address };
  }

  /**
   * Goes down now and comes back after rebootMs. Rebooting again while down restarts the
   * count, as a revert during a reboot would. Resolves once the guest is down.
   */
  async reboot(): Promise<void> {
    if (this.power === 'stopped') return;
    clearTimeout(this.rebootTimer);
    // Each call (and stop) takes a number; an older call resuming after a newer one started gives way.
    const generation = ++this.generation;
    this.power = 'rebooting';
    // A boot still re-binding from an earlier reboot finishes first, then goes down again.
    await this.rebooting;
    if (generation !== this.generation) return;
    this.power = 'rebooting';
    this.deps.log(`guest ${this.hostname} rebooting (${this.deps.rebootMs} ms)`);
    await this.takeDown(true);
    if (generation !== this.generation) return;
    this.rebootTimer = setTimeout(() => {
      this.rebootTimer = undefined;
      this.rebooting = this.comeBack(generation).finally(() => {
        this.rebooting = undefined;
      });
    }, this.deps.rebootMs);
  }

  private async comeBack(generation: number): Promise<void> {
    const previous = this.address!;
    try {
      // Same address and ports as before, so flows find the guest where they left it.
      const plan = { ip: previous.ip, sshPort: previous.sshPort, httpPort: previous.httpPort };
      this.address = await bindGuest({ ssh: this.ssh.server, http: this.http }, plan, true, this.deps.log);
      // Stopped or rebooted again meanwhile: whoever did that takes the listeners down.
      if (generation !== this.generation) return;
      this.power = 'up';
      this.bootedAt = this.now();
      this.deps.log(`guest ${this.hostname} is back on ${this.address.ip}`);
    } catch (error) {
      this.power = 'stopped';
      this.deps.log(`guest ${this.hostname} did not come back after its reboot: ${(error as Error).message}`);
    }
  }

  /** Revert in place: the disk becomes `state`, then the guest reboots. */
  async restore(state: GuestState): Promise<void> {
    this.setState(state);
    await this.reboot();
  }

  async stop(): Promise<void> {
    this.power = 'stopped';
    this.generation += 1;
    clearTimeout(this.rebootTimer);
    this.rebootTimer = undefined;
    await this.rebooting;
    this.power = 'stopped';
    await this.takeDown(false);
  }

  /** Stops listening and drops every connection (in flight health requests included). */
  private async takeDown(graceful: boolean): Promise<void> {
    const closing = Promise.all([closeServer(this.ssh.server), closeServer(this.http)]);
    this.http.closeAllConnections();
    await this.ssh.dropAll(graceful);
    await closing;
  }
}
