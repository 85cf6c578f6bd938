/**
 * Operation names: the Prism task `operation` of each async call (what a real task reports,
 * e.g. "CreateVm"), plus names for the synchronous calls so faults can target them too.
 * Where the real name is unverified the README says so.
 */
export const TASK_OPERATIONS = {
  CreateVm: 'Create VM',
  UpdateVm: 'Update VM',
  DeleteVm: 'Delete VM',
  PowerOnVm: 'Power on VM',
  PowerOffVm: 'Power off VM',
  ShutdownVm: 'Shut down VM (ACPI)',
  GuestShutdownVm: 'Shut down VM (guest tools)',
  RebootVm: 'Reboot VM (ACPI)',
  GuestRebootVm: 'Reboot VM (guest tools)',
  RevertVm: 'Revert VM to a recovery point',
  AssociateVmCategories: 'Associate categories with VM',
  DisassociateVmCategories: 'Disassociate categories from VM',
  CreateRecoveryPoint: 'Create recovery point',
  DeleteRecoveryPoint: 'Delete recovery point',
  ReplicateRecoveryPoint: 'Replicate recovery point',
  RestoreRecoveryPoint: 'Restore recovery point',
  SetRecoveryPointExpirationTime: 'Set recovery point expiration time',
} as const;
export type TaskOperation = keyof typeof TASK_OPERATIONS;

export const SYNC_OPERATIONS = [
  'ListVms', 'GetVm', 'ListTasks', 'GetTask', 'CancelTask',
  'ListRecoveryPoints', 'GetRecoveryPoint', 'GetVmRecoveryPoint',
  'ListCategories', 'GetCategory', 'CreateCategory', 'DeleteCategory', 'ListClusters', 'GetCluster',
] as const;
export type SyncOperation = (typeof SYNC_OPERATIONS)[number];

export type Operation = TaskOperation | SyncOperation;

export const OPERATIONS: readonly Operation[] = [...(Object.keys(TASK_OPERATIONS) as TaskOperation[]), ...SYNC_OPERATIONS];
