/**
 * Prism Central v4 simulator: an HTTPS server with the v4 subset Patchbay's Nutanix tasks
 * call, simulated guests for VMs that are ON, fault injection and persistent state.
 * See README.md in this folder.
 */
export { type GuestFleetFactory, type Simulator, type SimulatorOptions, startSimulator } from './simulator.js';
export { type FaultKind, type FaultSpec, parseFaultSpec, validateFaultSpec } from './faults.js';
export { OPERATIONS, TASK_OPERATIONS, type Operation, type TaskOperation } from './operations.js';
export { DEFAULT_VMS, DR_CLUSTER_NAME, MAIN_CLUSTER_NAME, type SeedVm } from './seed.js';
export type { Category, Cluster, RecoveryPoint, SimVm, Task, TaskStatus, VmRecoveryPoint } from './types.js';
export type { GuestEndpoint, GuestFleet, GuestState } from './guests/types.js';
