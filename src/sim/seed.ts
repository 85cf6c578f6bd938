import { randomUUID } from 'node:crypto';
import { type SimStateData, newCredentials } from './state.js';
import type { Category, VmRecord } from './types.js';
import { GIB, newDisk, newVmRecord } from './vm-model.js';

/**
 * The state a new simulator starts with: a main and a DR cluster, and VMs with categories so
 * the shipped flows have something to patch (prod/uat/windows web servers, ON), to protect
 * (Environment:Production) and to charge back (Department:Web / Finance, one untagged VM).
 */

export interface SeedVm {
  name: string;
  /** vCPUs (numSockets; one core per socket). */
  cpu?: number;
  memoryBytes?: number;
  diskBytes?: number;
  /** `Key:Value` pairs; missing categories are created. */
  categories?: string[];
  powerState?: 'ON' | 'OFF';
  description?: string;
}

export const MAIN_CLUSTER_NAME = 'PC-Cluster-01';
export const DR_CLUSTER_NAME = 'DR-Cluster-01';

export const DEFAULT_VMS: readonly SeedVm[] = [
  { name: 'prod-web-01', cpu: 2, memoryBytes: 4 * GIB, diskBytes: 40 * GIB, categories: ['Environment:Production', 'Department:Web'], powerState: 'ON', description: 'Production web server' },
  { name: 'uat-web-01', cpu: 2, memoryBytes: 4 * GIB, diskBytes: 40 * GIB, categories: ['Environment:UAT', 'Department:Web'], powerState: 'ON', description: 'UAT web server' },
  { name: 'windows-web-01', cpu: 4, memoryBytes: 8 * GIB, diskBytes: 80 * GIB, categories: ['Environment:Production', 'Department:Web'], powerState: 'ON', description: 'Windows IIS web server' },
  { name: 'finance-db-01', cpu: 8, memoryBytes: 32 * GIB, diskBytes: 200 * GIB, categories: ['Environment:Production', 'Department:Finance'], powerState: 'OFF', description: 'Finance database' },
  { name: 'scratch-vm-01', cpu: 1, memoryBytes: 2 * GIB, diskBytes: 20 * GIB, categories: [], powerState: 'OFF', description: 'Nobody remembers who made this one' },
];

/** The extId of category `Key:Value`, creating it when missing. */
export function ensureCategory(categories: Category[], pair: string): string {
  const colon = pair.indexOf(':');
  const key = pair.slice(0, colon).trim();
  const value = pair.slice(colon + 1).trim();
  const found = categories.find((category) => category.key === key && category.value === value);
  if (found) return found.extId;
  const category: Category = { extId: randomUUID(), key, value, type: 'USER', description: '' };
  categories.push(category);
  return category.extId;
}

/** A VM record from a seed entry; the simulator starts the guests of VMs that are ON when it starts. */
export function seedVmRecord(data: SimStateData, seed: SeedVm): VmRecord {
  const record = newVmRecord({
    name: seed.name,
    description: seed.description ?? '',
    clusterExtId: data.clusters[0]!.extId,
    numSockets: seed.cpu ?? 1,
    memorySizeBytes: seed.memoryBytes ?? 4 * GIB,
    disks: [newDisk(seed.diskBytes ?? 40 * GIB, 0)],
    categories: (seed.categories ?? []).map((pair) => ensureCategory(data.categories, pair)),
  });
  record.vm.powerState = seed.powerState ?? 'ON';
  return record;
}

export function initialState(seed: boolean, vms: readonly SeedVm[] | undefined): SimStateData {
  const data: SimStateData = {
    version: 1,
    credentials: newCredentials(),
    clusters: [
      { extId: randomUUID(), name: MAIN_CLUSTER_NAME },
      { extId: randomUUID(), name: DR_CLUSTER_NAME },
    ],
    vms: [],
    recoveryPoints: [],
    categories: [],
    tasks: [],
    requests: {},
  };
  if (!seed) return data;
  for (const pair of ['Environment:Production', 'Environment:UAT', 'Department:Web', 'Department:Finance']) ensureCategory(data.categories, pair);
  for (const vm of vms ?? DEFAULT_VMS) data.vms.push(seedVmRecord(data, vm));
  return data;
}
