import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { NutanixDefaults } from '../tasks/integrations.js';
import { adminHandler } from './admin.js';
import { FaultBook, type FaultSpec, parseFaultSpec } from './faults.js';
import { type GuestFleetOptions, createGuestFleet } from './guests/index.js';
import type { GuestFleet } from './guests/types.js';
import { prismRoutes } from './prism.js';
import { recoveryPointRoutes } from './recovery-points.js';
import type { SimContext } from './router.js';
import { runRecoveryPointWork } from './rp-effects.js';
import { type SeedVm, initialState, seedVmRecord } from './seed.js';
import { createPipeline } from './server.js';
import { StateStore } from './state.js';
import { TaskRunner } from './tasks.js';
import { loadTls } from './tls.js';
import type { RecoveryPoint, SimVm, Task } from './types.js';
import { runVmWork, startGuest } from './vm-effects.js';
import { vmView } from './vm-model.js';
import { vmRoutes } from './vms.js';

export type GuestFleetFactory = (context: { stateDir?: string; username: string; password: string; log: (line: string) => void }) => GuestFleet | Promise<GuestFleet>;

export interface SimulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** State (state.json) and TLS files (tls/); absent = in memory with a fresh CA. */
  stateDir?: string;
  /** Seed clusters, categories and VMs when the state is new (default true; clusters are always created). */
  seed?: boolean;
  /** VMs to seed instead of the defaults when the state is new; added by name to an existing state. */
  vms?: SeedVm[];
  /** Duration of every async task (default 0: done within milliseconds). */
  taskDelayMs?: number;
  /** Credentials accepted; default: generated once and kept in the state. */
  apiKey?: string;
  username?: string;
  password?: string;
  /** false: no guests (VMs have no IP); a factory; or options for createGuestFleet (default {}). */
  guests?: false | GuestFleetOptions | GuestFleetFactory;
  /** Faults armed from the start: specs or their text form (`fail-task=CreateVm`). */
  faults?: (FaultSpec | string)[];
  log?: (line: string) => void;
}

export interface Simulator {
  url: string;
  host: string;
  port: number;
  apiKey: string;
  username: string;
  password: string;
  /** PEM of the CA that signed the server certificate: trust it, never disable verification. */
  caCert: string;
  clusterExtId: string;
  drClusterExtId: string;
  connection(): NutanixDefaults;
  faults: { inject(spec: FaultSpec | string): void; clear(): void; list(): FaultSpec[] };
  vms(): SimVm[];
  vm(nameOrExtId: string): SimVm | undefined;
  recoveryPoints(): RecoveryPoint[];
  tasks(): Task[];
  guests: GuestFleet | undefined;
  stop(): Promise<void>;
}

async function openGuests(options: SimulatorOptions, store: StateStore, log: (line: string) => void): Promise<GuestFleet | undefined> {
  if (options.guests === false) return undefined;
  const login = { username: 'admin', password: store.data.credentials.guestPassword };
  if (typeof options.guests === 'function') return options.guests({ ...(options.stateDir ? { stateDir: options.stateDir } : {}), ...login, log });
  return createGuestFleet({ ...login, log, ...(options.stateDir ? { hostKeyDir: options.stateDir } : {}), ...(options.guests ?? {}) });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const store = StateStore.open(options.stateDir ? path.join(options.stateDir, 'state.json') : undefined, () => initialState(options.seed ?? true, options.vms));
  if (!store.fresh && options.vms) {
    for (const seed of options.vms) if (!store.data.vms.some((record) => record.vm.name === seed.name)) store.data.vms.push(seedVmRecord(store.data, seed));
  }
  store.data.credentials.guestPassword ??= store.data.credentials.password; // states written before guest logins were kept
  const credentials = {
    apiKey: options.apiKey ?? store.data.credentials.apiKey,
    username: options.username ?? store.data.credentials.username,
    password: options.password ?? store.data.credentials.password,
  };
  const tls = await loadTls(options.stateDir ? path.join(options.stateDir, 'tls') : undefined, host);
  const guests = await openGuests(options, store, log);
  guests?.onStateChange((extId, state) => {
    const record = store.vm(extId);
    if (!record) return;
    record.guest = structuredClone(state);
    store.save();
  });
  const faults = new FaultBook((vm, on) => {
    if (guests) guests.setBadPatch(vm, on);
    else log(`sim: bad-patch=${vm} has no effect: guests are disabled`);
  });
  for (const spec of options.faults ?? []) faults.inject(typeof spec === 'string' ? parseFaultSpec(spec) : spec);

  const ctx = { store, guests, log } as SimContext;
  ctx.tasks = new TaskRunner(store, (work) => ('rpExtId' in work ? runRecoveryPointWork(ctx, work) : runVmWork(ctx, work)), { delayMs: options.taskDelayMs ?? 0, faults, log });
  const routes = [...vmRoutes(ctx), ...recoveryPointRoutes(ctx), ...prismRoutes(ctx)];

  // Guests of VMs that are ON come up before the API answers, so a listed VM has its address.
  const results = await Promise.allSettled(store.data.vms.filter((record) => record.vm.powerState === 'ON').map((record) => startGuest(ctx, record)));
  for (const result of results) if (result.status === 'rejected') log(`sim: a guest did not start: ${String(result.reason)}`);
  store.save();

  let baseUrl = '';
  const server = createServer({ key: tls.key, cert: tls.cert }, createPipeline({ routes, store, faults, credentials: () => credentials, admin: adminHandler(ctx, faults), log, baseUrl: () => baseUrl }));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    await guests?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const clientHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  baseUrl = `https://${clientHost.includes(':') ? `[${clientHost}]` : clientHost}:${port}`;
  ctx.tasks.resumeAll();
  log(`sim: Prism Central simulator at ${baseUrl} (${store.data.vms.length} VMs, task duration ${options.taskDelayMs ?? 0} ms)`);

  const view = (extId: string): SimVm | undefined => {
    const record = store.vm(extId);
    return record ? vmView(record, guests?.endpoint(extId)) : undefined;
  };
  let stopping: Promise<void> | undefined;
  return {
    url: baseUrl,
    host: clientHost,
    port,
    ...credentials,
    caCert: tls.caCert,
    clusterExtId: store.data.clusters[0]!.extId,
    drClusterExtId: store.data.clusters[1]!.extId,
    connection: () => ({ host: clientHost, port, ...credentials, caCert: tls.caCert, source: 'built-in simulator' }),
    faults: {
      inject: (spec) => void faults.inject(typeof spec === 'string' ? parseFaultSpec(spec) : spec),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    vms: () => store.data.vms.map((record) => view(record.vm.extId)!),
    vm: (nameOrExtId) => view(store.data.vms.find((record) => record.vm.extId === nameOrExtId || record.vm.name === nameOrExtId)?.vm.extId ?? ''),
    recoveryPoints: () => store.data.recoveryPoints.map((record) => structuredClone(record.rp)),
    tasks: () => store.data.tasks.map((record) => ctx.tasks.view(record)),
    guests,
    stop: () =>
      (stopping ??= (async () => {
        server.close();
        server.closeAllConnections();
        await ctx.tasks.stop();
        for (const record of store.data.vms) {
          const state = guests?.state(record.vm.extId);
          if (state) record.guest = structuredClone(state);
        }
        await guests?.close();
        store.save();
        log('sim: stopped');
      })()),
  };
}
