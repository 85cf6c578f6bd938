import { randomBytes, randomUUID } from 'node:crypto';
import { defaultGuestState } from './guests/index.js';
import type { GuestEndpoint } from './guests/types.js';
import { model } from './envelope.js';
import type { SimDisk, SimNic, SimVm, VmConfig, VmRecord } from './types.js';

/**
 * Building and presenting VMs: defaults for what a create body leaves out, the wire view
 * (with the running guest's address), and the configuration a recovery point captures.
 */

export const GIB = 1024 ** 3;

export function now(): string {
  return new Date().toISOString();
}

/** Opaque, changes on every update; clients send it back in If-Match. */
export function newEtag(): string {
  return randomBytes(12).toString('base64url');
}

/** A locally administered MAC in the range AHV uses (50:6b:8d:…). */
export function macAddress(): string {
  return ['50', '6b', '8d', ...[...randomBytes(3)].map((byte) => byte.toString(16).padStart(2, '0'))].join(':');
}

export function newDisk(sizeBytes: number, index: number, extra: Partial<SimDisk['backingInfo']> = {}): SimDisk {
  return { extId: randomUUID(), diskAddress: { busType: 'SCSI', index }, backingInfo: { ...extra, diskSizeBytes: sizeBytes } };
}

export function newNic(subnetExtId?: string): SimNic {
  return {
    extId: randomUUID(),
    backingInfo: { model: 'VIRTIO', isConnected: true, macAddress: macAddress() },
    networkInfo: { nicType: 'NORMAL_NIC', vlanMode: 'ACCESS', ...(subnetExtId ? { subnet: { extId: subnetExtId } } : {}) },
  };
}

export interface VmInput {
  name: string;
  description?: string;
  clusterExtId: string;
  powerState?: 'ON' | 'OFF';
  numSockets?: number;
  numCoresPerSocket?: number;
  numThreadsPerCore?: number;
  memorySizeBytes?: number;
  categories?: string[];
  disks?: SimDisk[];
  nics?: SimNic[];
  machineType?: string;
  extId?: string;
}

/**
 * A new VM record. A VM always gets at least one NIC (the guest's address is reported on the
 * first one) and one disk, as AHV templates do; the VM starts OFF and is powered on by the caller.
 */
export function newVmRecord(input: VmInput): VmRecord {
  const time = now();
  const vm: SimVm = {
    extId: input.extId ?? randomUUID(),
    name: input.name,
    description: input.description ?? '',
    createTime: time,
    updateTime: time,
    cluster: { extId: input.clusterExtId },
    powerState: 'OFF',
    numSockets: input.numSockets ?? 1,
    numCoresPerSocket: input.numCoresPerSocket ?? 1,
    numThreadsPerCore: input.numThreadsPerCore ?? 1,
    memorySizeBytes: input.memorySizeBytes ?? 4 * GIB,
    categories: (input.categories ?? []).map((extId) => ({ extId })),
    disks: input.disks?.length ? input.disks : [newDisk(40 * GIB, 0)],
    nics: input.nics?.length ? input.nics : [newNic()],
    machineType: input.machineType ?? 'PC',
    isAgentVm: false,
    hardwareClockTimezone: 'UTC',
  };
  return { vm, etag: newEtag(), guest: defaultGuestState() };
}

export function touch(record: VmRecord): void {
  record.vm.updateTime = now();
  record.etag = newEtag();
}

export function vmConfig(vm: SimVm): VmConfig {
  const { name, description, numSockets, numCoresPerSocket, numThreadsPerCore, memorySizeBytes, categories, disks, nics, machineType } = vm;
  return structuredClone({ name, description, numSockets, numCoresPerSocket, numThreadsPerCore, memorySizeBytes, categories, disks, nics, machineType });
}

/** The VM as GET returns it: the running guest's IP on the first NIC, plus `simulatedGuest`. */
export function vmView(record: VmRecord, endpoint: GuestEndpoint | undefined): SimVm {
  const vm = structuredClone(record.vm);
  delete vm.simulatedGuest;
  for (const nic of vm.nics) delete nic.networkInfo.ipv4Info;
  if (endpoint && vm.powerState === 'ON') {
    const first = vm.nics[0];
    if (first) first.networkInfo.ipv4Info = { learnedIpAddresses: [{ value: endpoint.ip, prefixLength: 32 }] };
    vm.simulatedGuest = { ...endpoint };
  }
  return vm;
}

/** The wire object: model stamps on the VM and the nested references clients commonly type-check. */
export function vmWire(vm: SimVm): Record<string, unknown> {
  return model('vmm.v4.ahv.config.Vm', {
    ...vm,
    cluster: model('vmm.v4.ahv.config.ClusterReference', vm.cluster),
    categories: vm.categories.map((category) => model('vmm.v4.ahv.config.CategoryReference', category)),
    disks: vm.disks.map((disk) => model('vmm.v4.ahv.config.Disk', { ...disk, backingInfo: model('vmm.v4.ahv.config.VmDisk', disk.backingInfo) })),
    nics: vm.nics.map((nic) => model('vmm.v4.ahv.config.Nic', nic)),
  });
}

/** Fields `$filter` / `$orderby` / `$select` may name on VMs. */
export const VM_FIELDS: ReadonlySet<string> = new Set([
  'extId', 'name', 'description', 'createTime', 'updateTime', 'cluster', 'host', 'powerState', 'numSockets', 'numCoresPerSocket',
  'numThreadsPerCore', 'memorySizeBytes', 'categories', 'disks', 'nics', 'machineType', 'isAgentVm', 'hardwareClockTimezone', 'simulatedGuest',
]);
