/**
 * Simulated guest VMs for the Prism Central simulator: an SSH server that understands the
 * package-management commands patch flows send, and an HTTP health endpoint a bad patch
 * breaks. See README.md in this folder.
 */
export { createGuestFleet, type GuestFleetOptions } from './fleet.js';
export { defaultGuestState } from './packages.js';
export type { AddressingMode } from './addressing.js';
export type { GuestEndpoint, GuestFleet, GuestState, GuestVm } from './types.js';
