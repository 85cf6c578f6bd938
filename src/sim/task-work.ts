import type { TaskOperation } from './operations.js';
import type { EntityAffected, RecoveryPointType, Task, VmConfig, VmRecord } from './types.js';

/**
 * What an async task will do, as plain data stored with the task: a simulator restarted while a
 * task was running picks it up again and finishes it. Ids of the entities a task creates are
 * chosen when the request arrives, so finishing a task twice cannot create two of them.
 */
export type TaskWork =
  | { operation: 'CreateVm'; record: VmRecord; powerOn: boolean }
  | { operation: 'UpdateVm'; vmExtId: string; changes: Partial<VmConfig> }
  | { operation: 'DeleteVm'; vmExtId: string }
  | { operation: 'PowerOnVm' | 'PowerOffVm' | 'ShutdownVm' | 'GuestShutdownVm' | 'RebootVm' | 'GuestRebootVm'; vmExtId: string }
  | { operation: 'RevertVm'; vmExtId: string; vmRecoveryPointExtId: string }
  | { operation: 'AssociateVmCategories' | 'DisassociateVmCategories'; vmExtId: string; categoryExtIds: string[] }
  | {
      operation: 'CreateRecoveryPoint';
      rpExtId: string;
      name: string;
      expirationTime?: string;
      recoveryPointType: RecoveryPointType;
      vmExtIds: string[];
      clusterExtId: string;
    }
  | { operation: 'DeleteRecoveryPoint'; rpExtId: string }
  | { operation: 'ReplicateRecoveryPoint'; rpExtId: string; clusterExtId: string; replicaExtId: string }
  | { operation: 'RestoreRecoveryPoint'; rpExtId: string; clusterExtId: string; vmRecoveryPointExtIds: string[]; newVmExtIds: string[] }
  | { operation: 'SetRecoveryPointExpirationTime'; rpExtId: string; expirationTime: string };

// Every async operation has a work shape and vice versa.
type Check<A extends TaskOperation, B extends TaskWork['operation']> = [A, B];
export type _AllOperationsCovered = Check<TaskWork['operation'], TaskOperation>;

export interface TaskOutcome {
  entitiesAffected?: EntityAffected[];
  completionDetails?: { name: string; value: string }[];
}

export interface TaskRecord {
  task: Task;
  work: TaskWork;
  durationMs: number;
  /** Set by a `fail-task` fault: the task ends FAILED with this error and changes nothing. */
  fail?: { code?: string; message?: string };
}

export const REL = {
  vm: 'vmm:ahv:config:vm',
  recoveryPoint: 'dataprotection:config:recovery-point',
  vmRecoveryPoint: 'dataprotection:config:vm-recovery-point',
} as const;
