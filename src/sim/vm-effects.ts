import { SimError } from './envelope.js';
import type { SimContext } from './router.js';
import { REL, type TaskOutcome, type TaskWork } from './task-work.js';
import type { VmRecord } from './types.js';
import { touch } from './vm-model.js';

/**
 * What the VM tasks do when they run. Each is safe to run again after a restart (powering on
 * a VM that is on, deleting one that is gone, creating one that exists are no-ops), because a
 * task interrupted by a crash is finished on the next start.
 */

/** The VM powered on: its guest starts with the disk state the VM kept, at its previous address. */
export async function startGuest(ctx: SimContext, record: VmRecord): Promise<void> {
  if (!ctx.guests) return;
  const endpoint = await ctx.guests.start({ extId: record.vm.extId, name: record.vm.name, ...(record.lastIp ? { ip: record.lastIp } : {}) }, record.guest);
  record.lastIp = endpoint.ip;
}

/** The VM powered off: keep what the guest's disk holds, then stop its servers. */
export async function stopGuest(ctx: SimContext, record: VmRecord): Promise<void> {
  if (!ctx.guests) return;
  const state = ctx.guests.state(record.vm.extId);
  if (state) record.guest = structuredClone(state);
  await ctx.guests.stop(record.vm.extId);
}

/** ON only once the guest runs: a guest that cannot start fails the task and leaves the VM OFF. */
async function powerOn(ctx: SimContext, record: VmRecord): Promise<void> {
  await startGuest(ctx, record);
  record.vm.powerState = 'ON';
  touch(record);
}

function vmOrFail(ctx: SimContext, extId: string): VmRecord {
  const record = ctx.store.vm(extId);
  if (!record) throw new SimError(404, 'VMM-20005', `Failed to perform the operation as the backend service could not find the entity: VM ${extId}.`, 'ENTITY_NOT_FOUND');
  return record;
}

const affected = (record: VmRecord): TaskOutcome => ({ entitiesAffected: [{ extId: record.vm.extId, name: record.vm.name, rel: REL.vm }] });

export async function runVmWork(ctx: SimContext, work: Extract<TaskWork, { vmExtId: string } | { operation: 'CreateVm' }>): Promise<TaskOutcome> {
  switch (work.operation) {
    case 'CreateVm': {
      let record = ctx.store.vm(work.record.vm.extId);
      if (!record) {
        record = structuredClone(work.record);
        ctx.store.data.vms.push(record);
      }
      if (work.powerOn && record.vm.powerState !== 'ON') await powerOn(ctx, record);
      return affected(record);
    }
    case 'UpdateVm': {
      const record = vmOrFail(ctx, work.vmExtId);
      Object.assign(record.vm, structuredClone(work.changes));
      touch(record);
      return affected(record);
    }
    case 'DeleteVm': {
      const record = ctx.store.vm(work.vmExtId);
      if (!record) return { entitiesAffected: [{ extId: work.vmExtId, rel: REL.vm }] };
      if (record.vm.powerState === 'ON') await stopGuest(ctx, record);
      ctx.store.data.vms = ctx.store.data.vms.filter((candidate) => candidate !== record);
      return affected(record);
    }
    case 'PowerOnVm': {
      const record = vmOrFail(ctx, work.vmExtId);
      if (record.vm.powerState !== 'ON') await powerOn(ctx, record);
      return affected(record);
    }
    case 'PowerOffVm':
    case 'ShutdownVm':
    case 'GuestShutdownVm': {
      const record = vmOrFail(ctx, work.vmExtId);
      if (record.vm.powerState === 'ON') {
        await stopGuest(ctx, record);
        record.vm.powerState = 'OFF';
        touch(record);
      }
      return affected(record);
    }
    case 'RebootVm':
    case 'GuestRebootVm': {
      const record = vmOrFail(ctx, work.vmExtId);
      if (record.vm.powerState !== 'ON') throw new SimError(409, 'VMM-30310', `Cannot reboot VM ${record.vm.name}: it is powered off.`, 'INVALID_POWER_STATE');
      // A reboot is a stop and start of the guest: its servers go away briefly and it keeps its address.
      await stopGuest(ctx, record);
      await startGuest(ctx, record);
      touch(record);
      return affected(record);
    }
    case 'RevertVm':
      return revertVm(ctx, work.vmExtId, work.vmRecoveryPointExtId);
    case 'AssociateVmCategories':
    case 'DisassociateVmCategories': {
      const record = vmOrFail(ctx, work.vmExtId);
      const current = new Set(record.vm.categories.map((category) => category.extId));
      for (const extId of work.categoryExtIds) {
        if (work.operation === 'AssociateVmCategories') current.add(extId);
        else current.delete(extId);
      }
      record.vm.categories = [...current].map((extId) => ({ extId }));
      touch(record);
      return affected(record);
    }
  }
}

/** Revert in place: configuration and guest disk become what the VM recovery point captured. */
async function revertVm(ctx: SimContext, vmExtId: string, vmRecoveryPointExtId: string): Promise<TaskOutcome> {
  const record = vmOrFail(ctx, vmExtId);
  const contents = ctx.store.data.recoveryPoints.map((rp) => rp.contents[vmRecoveryPointExtId]).find((found) => found !== undefined);
  if (!contents) throw new SimError(404, 'DTP-20005', `Failed to perform the operation as the backend service could not find the entity: VM recovery point ${vmRecoveryPointExtId}.`, 'ENTITY_NOT_FOUND');
  Object.assign(record.vm, structuredClone(contents.vm));
  const guest = structuredClone(contents.guest);
  if (ctx.guests && record.vm.powerState === 'ON' && ctx.guests.endpoint(vmExtId)) {
    await ctx.guests.restore(vmExtId, guest);
    record.guest = structuredClone(ctx.guests.state(vmExtId) ?? guest);
  } else {
    record.guest = guest;
  }
  touch(record);
  return {
    ...affected(record),
    completionDetails: [{ name: 'VM Recovery Point UUID', value: vmRecoveryPointExtId }],
  };
}
