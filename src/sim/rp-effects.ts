import { randomUUID } from 'node:crypto';
import { SimError } from './envelope.js';
import type { SimContext } from './router.js';
import { REL, type TaskOutcome, type TaskWork } from './task-work.js';
import type { RecoveryPointRecord, VmRecoveryPoint } from './types.js';
import { macAddress, newEtag, newVmRecord, now, vmConfig } from './vm-model.js';

/**
 * What the recovery-point tasks do when they run. A VM recovery point captures the VM's
 * configuration and its guest's disk (from the running guest, else what the VM kept), so a
 * revert or restore brings back the packages and the "broken" flag of that moment.
 */

type RpWork = Extract<TaskWork, { rpExtId: string }>;

function rpOrFail(ctx: SimContext, extId: string): RecoveryPointRecord {
  const record = ctx.store.recoveryPoint(extId);
  if (!record) throw new SimError(404, 'DTP-20005', `Failed to perform the operation as the backend service could not find the entity: recovery point ${extId}.`, 'ENTITY_NOT_FOUND');
  return record;
}

function rpEntities(record: RecoveryPointRecord): TaskOutcome['entitiesAffected'] {
  return [
    { extId: record.rp.extId, name: record.rp.name, rel: REL.recoveryPoint },
    ...record.rp.vmRecoveryPoints.map((vmRp) => ({ extId: vmRp.extId, rel: REL.vmRecoveryPoint })),
  ];
}

export async function runRecoveryPointWork(ctx: SimContext, work: RpWork): Promise<TaskOutcome> {
  switch (work.operation) {
    case 'CreateRecoveryPoint': {
      const record = ctx.store.recoveryPoint(work.rpExtId) ?? createRecoveryPoint(ctx, work);
      return {
        entitiesAffected: [...rpEntities(record)!, ...work.vmExtIds.map((extId) => ({ extId, rel: REL.vm }))],
        completionDetails: [{ name: 'recoveryPointExtId', value: record.rp.extId }],
      };
    }
    case 'DeleteRecoveryPoint': {
      const record = ctx.store.recoveryPoint(work.rpExtId);
      if (!record) return { entitiesAffected: [{ extId: work.rpExtId, rel: REL.recoveryPoint }] };
      ctx.store.data.recoveryPoints = ctx.store.data.recoveryPoints.filter((candidate) => candidate !== record);
      return { entitiesAffected: rpEntities(record) };
    }
    case 'ReplicateRecoveryPoint': {
      const replica = ctx.store.recoveryPoint(work.replicaExtId) ?? replicate(ctx, rpOrFail(ctx, work.rpExtId), work.replicaExtId, work.clusterExtId);
      return { entitiesAffected: rpEntities(replica), completionDetails: [{ name: 'recoveryPointExtId', value: replica.rp.extId }] };
    }
    case 'RestoreRecoveryPoint': {
      const record = rpOrFail(ctx, work.rpExtId);
      work.vmRecoveryPointExtIds.forEach((vmRpExtId, index) => {
        const extId = work.newVmExtIds[index]!;
        const contents = record.contents[vmRpExtId];
        if (!contents || ctx.store.vm(extId)) return;
        const restored = newVmRecord({ name: `${contents.vm.name}-restored`, clusterExtId: work.clusterExtId, extId });
        Object.assign(restored.vm, structuredClone(contents.vm), { name: `${contents.vm.name}-restored` });
        // A restored VM is a new VM: its disks and NICs get their own ids and MAC addresses.
        for (const disk of restored.vm.disks) disk.extId = randomUUID();
        for (const nic of restored.vm.nics) Object.assign(nic, { extId: randomUUID(), backingInfo: { ...nic.backingInfo, macAddress: macAddress() } });
        restored.guest = structuredClone(contents.guest);
        ctx.store.data.vms.push(restored);
      });
      return {
        entitiesAffected: [{ extId: record.rp.extId, name: record.rp.name, rel: REL.recoveryPoint }, ...work.newVmExtIds.map((extId) => ({ extId, rel: REL.vm }))],
        completionDetails: [
          { name: 'vmExtIds', value: work.newVmExtIds.join(',') },
          { name: 'volumeGroupExtIds', value: '' },
        ],
      };
    }
    case 'SetRecoveryPointExpirationTime': {
      const record = rpOrFail(ctx, work.rpExtId);
      record.rp.expirationTime = work.expirationTime;
      for (const vmRp of record.rp.vmRecoveryPoints) vmRp.expirationTime = work.expirationTime;
      record.etag = newEtag();
      return { entitiesAffected: rpEntities(record) };
    }
  }
}

function createRecoveryPoint(ctx: SimContext, work: Extract<TaskWork, { operation: 'CreateRecoveryPoint' }>): RecoveryPointRecord {
  const time = now();
  const record: RecoveryPointRecord = {
    rp: {
      extId: work.rpExtId,
      name: work.name,
      creationTime: time,
      ...(work.expirationTime ? { expirationTime: work.expirationTime } : {}),
      status: 'COMPLETE',
      recoveryPointType: work.recoveryPointType,
      locationAgnosticId: randomUUID(),
      locationReferences: [{ locationExtId: work.clusterExtId }],
      vmRecoveryPoints: [],
      volumeGroupRecoveryPoints: [],
    },
    etag: newEtag(),
    contents: {},
  };
  const consistencyGroupExtId = randomUUID();
  for (const vmExtId of work.vmExtIds) {
    const vm = ctx.store.vm(vmExtId);
    if (!vm) throw new SimError(404, 'DTP-20005', `Failed to perform the operation as the backend service could not find the entity: VM ${vmExtId}.`, 'ENTITY_NOT_FOUND');
    const vmRp: VmRecoveryPoint = {
      extId: randomUUID(),
      vmExtId,
      name: `${work.name}-${vm.vm.name}`,
      creationTime: time,
      ...(work.expirationTime ? { expirationTime: work.expirationTime } : {}),
      status: 'COMPLETE',
      recoveryPointType: work.recoveryPointType,
      consistencyGroupExtId,
      diskRecoveryPoints: vm.vm.disks.map((disk) => ({ diskExtId: disk.extId, diskRecoveryPointExtId: randomUUID() })),
      vmCategories: structuredClone(vm.vm.categories),
    };
    const guest = (vm.vm.powerState === 'ON' ? ctx.guests?.state(vmExtId) : undefined) ?? vm.guest;
    record.rp.vmRecoveryPoints.push(vmRp);
    record.contents[vmRp.extId] = { vm: vmConfig(vm.vm), guest: structuredClone(guest) };
  }
  ctx.store.data.recoveryPoints.push(record);
  return record;
}

/** A copy located on another cluster: same point in time and locationAgnosticId, new ids. */
function replicate(ctx: SimContext, source: RecoveryPointRecord, replicaExtId: string, clusterExtId: string): RecoveryPointRecord {
  const replica: RecoveryPointRecord = { rp: structuredClone(source.rp), etag: newEtag(), contents: {} };
  replica.rp.extId = replicaExtId;
  replica.rp.locationReferences = [{ locationExtId: clusterExtId }];
  for (const vmRp of replica.rp.vmRecoveryPoints) {
    const previous = vmRp.extId;
    vmRp.extId = randomUUID();
    replica.contents[vmRp.extId] = structuredClone(source.contents[previous]!);
  }
  ctx.store.data.recoveryPoints.push(replica);
  return replica;
}
