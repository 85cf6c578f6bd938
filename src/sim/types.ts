import type { GuestEndpoint, GuestState } from './guests/types.js';

/**
 * The simulator's entities as they appear on the wire (without the `$objectType` / `$reserved`
 * stamps the envelope adds) and the records it keeps around them. Field names follow the v4
 * models (reference/apis.md A.1–A.5); anything simulator-only is marked as such.
 */

export interface ExtIdRef {
  extId: string;
}

export const POWER_STATES = ['ON', 'OFF', 'PAUSED', 'UNDETERMINED'] as const;
export type PowerState = (typeof POWER_STATES)[number];

export interface SimDisk {
  extId: string;
  diskAddress: { busType: string; index: number };
  backingInfo: { diskSizeBytes: number; storageContainer?: ExtIdRef; [key: string]: unknown };
}

export interface IpAddress {
  value: string;
  prefixLength: number;
}

export interface SimNic {
  extId: string;
  backingInfo: { model: string; isConnected: boolean; macAddress: string };
  networkInfo: {
    nicType: string;
    vlanMode: string;
    subnet?: ExtIdRef;
    /** Filled from the running guest on read; never stored. */
    ipv4Info?: { learnedIpAddresses: IpAddress[] };
  };
}

export interface SimVm {
  extId: string;
  name: string;
  description: string;
  createTime: string;
  updateTime: string;
  cluster: ExtIdRef;
  host?: ExtIdRef;
  powerState: PowerState;
  numSockets: number;
  numCoresPerSocket: number;
  numThreadsPerCore: number;
  memorySizeBytes: number;
  categories: ExtIdRef[];
  disks: SimDisk[];
  nics: SimNic[];
  machineType: string;
  isAgentVm: boolean;
  hardwareClockTimezone: string;
  /** Simulator-only: where the VM's guest listens (absent when it does not run). */
  simulatedGuest?: GuestEndpoint;
}

/** The parts of a VM a recovery point captures and a revert or restore puts back. */
export type VmConfig = Pick<SimVm, 'name' | 'description' | 'numSockets' | 'numCoresPerSocket' | 'numThreadsPerCore' | 'memorySizeBytes' | 'categories' | 'disks' | 'nics' | 'machineType'>;

export interface VmRecord {
  vm: SimVm;
  etag: string;
  /** The guest's disk while it is not running (kept current from `onStateChange` while it runs). */
  guest: GuestState;
  /** The address the guest had last, so it keeps it across power cycles and restarts. */
  lastIp?: string;
}

export interface VmRecoveryPoint {
  extId: string;
  vmExtId: string;
  name: string;
  creationTime: string;
  expirationTime?: string;
  status: 'COMPLETE';
  recoveryPointType: RecoveryPointType;
  consistencyGroupExtId?: string;
  diskRecoveryPoints: { diskExtId: string; diskRecoveryPointExtId: string }[];
  vmCategories: ExtIdRef[];
}

export const RECOVERY_POINT_TYPES = ['CRASH_CONSISTENT', 'APPLICATION_CONSISTENT'] as const;
export type RecoveryPointType = (typeof RECOVERY_POINT_TYPES)[number];

export interface RecoveryPoint {
  extId: string;
  name: string;
  creationTime: string;
  expirationTime?: string;
  status: 'COMPLETE';
  recoveryPointType: RecoveryPointType;
  /** Shared by a recovery point and its replicas on other clusters. */
  locationAgnosticId: string;
  locationReferences: { locationExtId: string }[];
  vmRecoveryPoints: VmRecoveryPoint[];
  volumeGroupRecoveryPoints: unknown[];
}

export interface RecoveryPointRecord {
  rp: RecoveryPoint;
  etag: string;
  /** What each VM recovery point captured, by VM recovery point extId (never on the wire). */
  contents: Record<string, { vm: VmConfig; guest: GuestState }>;
}

export interface Category {
  extId: string;
  key: string;
  value: string;
  type: 'USER' | 'SYSTEM' | 'INTERNAL';
  description: string;
}

export interface Cluster {
  extId: string;
  name: string;
}

export const TASK_STATUSES = ['QUEUED', 'RUNNING', 'CANCELING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'SUSPENDED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface AppMessage {
  code: string;
  message: string;
  errorGroup?: string;
  severity: 'INFO' | 'WARNING' | 'ERROR';
  locale: string;
  argumentsMap?: Record<string, string>;
}

export interface EntityAffected {
  extId: string;
  name?: string;
  rel: string;
}

export interface Task {
  extId: string;
  operation: string;
  operationDescription: string;
  status: TaskStatus;
  progressPercentage: number;
  createdTime: string;
  startedTime?: string;
  completedTime?: string;
  lastUpdatedTime: string;
  entitiesAffected: EntityAffected[];
  completionDetails: { name: string; value: string }[];
  errorMessages: AppMessage[];
  legacyErrorMessage?: string;
  clusterExtIds: string[];
  isCancelable: boolean;
  isBackgroundTask: boolean;
  numberOfEntitiesAffected: number;
  numberOfSubtasks: number;
  subTasks: unknown[];
  warnings: unknown[];
}
