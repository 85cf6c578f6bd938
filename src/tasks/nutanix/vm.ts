import type { DeclaredOutput } from '../../assets/types.js';
import { type Json, isObject } from './envelope.js';

/** Asset types the Nutanix tasks record, in the family the asset tests and flows use. */
export const VM_ASSET_TYPE = 'io.kestra.plugin.ee.assets.VM';
export const SNAPSHOT_ASSET_TYPE = 'io.kestra.plugin.ee.assets.VM.Snapshot';

const DEFAULT_SSH_PORT = 22;
const DEFAULT_HTTP_PORT = 80;

/** An IPv4Address of the v4 model is `{value, prefixLength}`; accept a bare string too. */
function address(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (isObject(value) && typeof value.value === 'string' && value.value.trim() !== '') return value.value.trim();
  return undefined;
}

/**
 * The VM's IPv4 addresses, NIC by NIC: a static `ipv4Config.ipAddress` first, then what AHV
 * learned from the guest (`ipv4Info.learnedIpAddresses`), without duplicates.
 */
export function vmIpAddresses(vm: Json): string[] {
  const found: string[] = [];
  const add = (value: unknown): void => {
    const ip = address(value);
    if (ip && !found.includes(ip)) found.push(ip);
  };
  for (const nic of Array.isArray(vm.nics) ? vm.nics : []) {
    const info = isObject(nic) && isObject(nic.networkInfo) ? nic.networkInfo : undefined;
    if (!info) continue;
    if (isObject(info.ipv4Config)) {
      add(info.ipv4Config.ipAddress);
      for (const extra of Array.isArray(info.ipv4Config.secondaryIpAddressList) ? info.ipv4Config.secondaryIpAddressList : []) add(extra);
    }
    if (isObject(info.ipv4Info)) for (const learned of Array.isArray(info.ipv4Info.learnedIpAddresses) ? info.ipv4Info.learnedIpAddresses : []) add(learned);
  }
  return found;
}

const port = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback);

/**
 * A VM as the tasks output it: Prism's fields (top-level `$objectType`/`$reserved` dropped),
 * plus what flows reach for next: `ip` (first address, null when none yet), `ipAddresses`,
 * `sshPort`/`httpPort` (22/80), `clusterExtId`, and Kestra's `resources` grouping. A VM of the
 * simulator carries `simulatedGuest` (where its SSH and HTTP servers really listen): its values
 * win, and `healthUrl` appears.
 */
export function shapeVm(raw: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(raw)) if (!key.startsWith('$') && key !== 'simulatedGuest') out[key] = value;
  const ipAddresses = vmIpAddresses(raw);
  const guest = isObject(raw.simulatedGuest) ? raw.simulatedGuest : undefined;
  const guestIp = guest ? address(guest.ip) : undefined;
  if (guestIp && !ipAddresses.includes(guestIp)) ipAddresses.unshift(guestIp);
  out.ip = guestIp ?? ipAddresses[0] ?? null;
  out.ipAddresses = ipAddresses;
  out.sshPort = port(guest?.sshPort, DEFAULT_SSH_PORT);
  out.httpPort = port(guest?.httpPort, DEFAULT_HTTP_PORT);
  if (guest && typeof guest.healthUrl === 'string') out.healthUrl = guest.healthUrl;
  out.clusterExtId = isObject(raw.cluster) && typeof raw.cluster.extId === 'string' ? raw.cluster.extId : null;
  out.resources = {
    numSockets: raw.numSockets ?? null,
    numCoresPerSocket: raw.numCoresPerSocket ?? null,
    numThreadsPerCore: raw.numThreadsPerCore ?? null,
    memorySizeBytes: raw.memorySizeBytes ?? null,
    disks: Array.isArray(raw.disks) ? raw.disks : [],
    nics: Array.isArray(raw.nics) ? raw.nics : [],
  };
  return out;
}

/** The name the inventory knows a VM by: its Prism name (asset ids are VM names, as in flows). */
export const vmAssetId = (vm: Json): string | undefined => (typeof vm.name === 'string' && vm.name.trim() !== '' ? vm.name.trim() : undefined);

/** The VM asset CreateVm records (a shaped VM in, `io.kestra.plugin.ee.assets.VM` out). */
export function vmAsset(vm: Json, id: string): DeclaredOutput {
  const metadata: Json = { provider: 'nutanix', extId: vm.extId ?? null, clusterExtId: vm.clusterExtId ?? null };
  if (typeof vm.ip === 'string') metadata.ip = vm.ip;
  const asset: DeclaredOutput = { id, type: VM_ASSET_TYPE, metadata };
  if (typeof vm.description === 'string' && vm.description.trim() !== '') asset.description = vm.description;
  return asset;
}

/** `name eq 'it''s'`: OData doubles a quote inside a string literal. */
export const odataString = (value: string): string => `'${value.replaceAll("'", "''")}'`;
