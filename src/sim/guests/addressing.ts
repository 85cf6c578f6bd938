import type { AddressInfo, Server } from 'node:net';
import { ErrorCode, PatchbayError } from '../../errors.js';
import type { GuestEndpoint } from './types.js';

export type AddressingMode = 'auto' | 'loopback' | 'ports';

// Addresses below .10 are left to the host (127.0.0.1 itself, and room for other local services).
const FIRST_HOST = 10;
const LAST_HOST = 254;
/** Errors meaning "this process may not have that address or port": fall back to allocated ports. */
const FALLBACK_CODES = new Set(['EACCES', 'EADDRINUSE', 'EADDRNOTAVAIL']);

export const SHARED_HOST = '127.0.0.1';

/**
 * Gives each VM its own loopback address under the fleet's prefix and keeps it for the fleet's
 * lifetime, so a VM that powers off and on again (or was known by that address before a
 * restart) answers where flows last saw it.
 */
export class AddressBook {
  private readonly byVm = new Map<string, string>();

  constructor(
    readonly mode: AddressingMode,
    readonly prefix: string,
  ) {}

  /** The VM's loopback address, or undefined in ports mode or when the prefix has no address left. */
  assign(extId: string, previous: string | undefined): string | undefined {
    if (this.mode === 'ports') return undefined;
    const known = this.byVm.get(extId);
    if (known !== undefined) return known;
    const taken = new Set(this.byVm.values());
    const reusable = previous !== undefined && this.owns(previous) && !taken.has(previous);
    let address = reusable ? previous : undefined;
    for (let host = FIRST_HOST; address === undefined && host <= LAST_HOST; host += 1) {
      if (!taken.has(`${this.prefix}${host}`)) address = `${this.prefix}${host}`;
    }
    if (address !== undefined) this.byVm.set(extId, address);
    return address;
  }

  private owns(address: string): boolean {
    if (!address.startsWith(this.prefix)) return false;
    const host = Number(address.slice(this.prefix.length));
    return Number.isInteger(host) && host >= FIRST_HOST && host <= LAST_HOST && String(host) === address.slice(this.prefix.length);
  }

  /** known_hosts patterns covering every address this book may hand out, plus the shared one. */
  patterns(): string[] {
    const patterns: string[] = [];
    if (this.mode !== 'ports') patterns.push(`${this.prefix}*`);
    if (this.mode !== 'loopback') patterns.push(`[${SHARED_HOST}]:*`);
    return patterns;
  }
}

export interface GuestListeners {
  ssh: Server;
  http: Server;
}

/** Where to listen: a VM's own address on 22/80, or the shared address (port 0 = let the OS choose). */
export interface BindPlan {
  ip: string;
  sshPort: number;
  httpPort: number;
}

export function loopbackPlan(ip: string): BindPlan {
  return { ip, sshPort: 22, httpPort: 80 };
}

export const PORTS_PLAN: BindPlan = { ip: SHARED_HOST, sshPort: 0, httpPort: 0 };

/**
 * Starts both listeners as planned. When that fails for want of permission or because the
 * address or port is taken, and `fallback` allows it, both listen on the shared address with
 * allocated ports instead; the endpoint says where they ended up.
 */
export async function bindGuest(listeners: GuestListeners, plan: BindPlan, fallback: boolean, log: (line: string) => void): Promise<GuestEndpoint> {
  try {
    return await bindExactly(listeners, plan);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const alreadyShared = plan.ip === SHARED_HOST && plan.sshPort === 0 && plan.httpPort === 0;
    if (!fallback || alreadyShared || code === undefined || !FALLBACK_CODES.has(code)) {
      throw new PatchbayError(ErrorCode.INTERNAL, `simulated guest cannot listen on ${plan.ip} (SSH ${plan.sshPort}, HTTP ${plan.httpPort}): ${(error as Error).message}`, { cause: error });
    }
    log(`guest cannot listen on ${plan.ip}:${plan.sshPort}/${plan.httpPort} (${code}); using ${SHARED_HOST} with allocated ports`);
    return bindExactly(listeners, PORTS_PLAN);
  }
}

async function bindExactly(listeners: GuestListeners, plan: BindPlan): Promise<GuestEndpoint> {
  await listen(listeners.ssh, plan.sshPort, plan.ip);
  try {
    await listen(listeners.http, plan.httpPort, plan.ip);
  } catch (error) {
    await closeServer(listeners.ssh);
    throw error;
  }
  const sshPort = (listeners.ssh.address() as AddressInfo).port;
  const httpPort = (listeners.http.address() as AddressInfo).port;
  return { ip: plan.ip, sshPort, httpPort, healthUrl: `http://${plan.ip}${httpPort === 80 ? '' : `:${httpPort}`}/health` };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/** Stops listening (callers destroy the open connections themselves); a no-op when not listening. */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
