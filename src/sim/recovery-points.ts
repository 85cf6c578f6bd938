import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { entityResponse, errors, listResponse, model } from './envelope.js';
import { applyListQuery, parseListQuery } from './odata/query.js';
import { RECOVERY_POINT_TYPES, type RecoveryPoint, type RecoveryPointRecord } from './types.js';
import { type Route, type SimContext, type SimRequest, accepted, checkIfMatch, notFound, parseBody } from './router.js';
import { REL } from './task-work.js';

/**
 * `/api/dataprotection/v4.x/config/recovery-points`: create (one or more VMs), list, get,
 * delete, replicate to another cluster, restore to new VMs, change the expiry. Mutations are
 * validated at once and run as tasks; the new recovery point's id is in the task's
 * completionDetails (`recoveryPointExtId`).
 */

const BASE = '/api/dataprotection/{v}/config/recovery-points';
const T = 'dataprotection.v4.config';

export const RP_FIELDS: ReadonlySet<string> = new Set([
  'extId', 'name', 'creationTime', 'expirationTime', 'status', 'recoveryPointType', 'locationAgnosticId', 'locationReferences', 'vmRecoveryPoints', 'volumeGroupRecoveryPoints',
]);

const time = z.string({ message: 'is required (an RFC 3339 time)' }).refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value), 'must be an RFC 3339 time such as 2030-01-01T00:00:00Z');
const futureTime = time.refine((value) => Date.parse(value) > Date.now(), 'must be in the future');
const createBody = z.object({
  name: z.string().min(1, 'must not be empty').max(256).optional(),
  expirationTime: futureTime.optional(),
  recoveryPointType: z.enum(RECOVERY_POINT_TYPES, { message: `must be one of ${RECOVERY_POINT_TYPES.join(', ')}` }).optional(),
  vmRecoveryPoints: z
    .array(z.object({ vmExtId: z.string({ message: 'is required' }).min(1, 'must not be empty') }).loose(), { message: 'is required: a list of {vmExtId}' })
    .min(1, 'must list at least one VM')
    .max(30, 'a recovery point holds at most 30 entities'),
}).loose();
const replicateBody = z.object({ clusterExtId: z.string({ message: 'is required' }).min(1, 'must not be empty'), pcExtId: z.string().optional() }).loose();
const restoreBody = z.object({
  clusterExtId: z.string().min(1).optional(),
  vmRecoveryPointRestoreOverrides: z.array(z.object({ vmRecoveryPointExtId: z.string({ message: 'is required' }).min(1) }).loose()).optional(),
}).loose();
const expiryBody = z.object({ expirationTime: futureTime });

export function rpWire(rp: RecoveryPoint): Record<string, unknown> {
  return model(`${T}.RecoveryPoint`, {
    ...rp,
    locationReferences: rp.locationReferences.map((location) => model(`${T}.LocationReference`, location)),
    vmRecoveryPoints: rp.vmRecoveryPoints.map((vmRp) => model(`${T}.VmRecoveryPoint`, vmRp)),
  });
}

export function recoveryPointRoutes(ctx: SimContext): Route[] {
  const find = (request: SimRequest): RecoveryPointRecord => {
    const record = ctx.store.recoveryPoint(request.params.extId!);
    if (!record) throw notFound('dataprotection', 'recovery point', request.params.extId!);
    return record;
  };
  const entities = (record: RecoveryPointRecord) => [{ extId: record.rp.extId, name: record.rp.name, rel: REL.recoveryPoint }];
  const knownCluster = (field: string, extId: string) => {
    if (!ctx.store.cluster(extId)) throw errors.invalid('DTP', field, `no cluster with extId '${extId}' (clusters: ${ctx.store.data.clusters.map((c) => `${c.name} ${c.extId}`).join(', ')})`);
  };

  return [
    {
      method: 'GET', path: BASE, namespace: 'dataprotection', operation: 'ListRecoveryPoints', responseType: `${T}.ListRecoveryPointsApiResponse`,
      handle: (request) => {
        const query = parseListQuery(request.url.searchParams, RP_FIELDS);
        const items = ctx.store.data.recoveryPoints.map((record) => rpWire(record.rp));
        return { status: 200, body: listResponse(`${T}.ListRecoveryPointsApiResponse`, applyListQuery(items, query), request.url) };
      },
    },
    {
      method: 'GET', path: `${BASE}/:extId`, namespace: 'dataprotection', operation: 'GetRecoveryPoint', responseType: `${T}.GetRecoveryPointApiResponse`,
      handle: (request) => {
        const record = find(request);
        return { status: 200, body: entityResponse(`${T}.GetRecoveryPointApiResponse`, rpWire(record.rp), request.url.href), headers: { ETag: record.etag } };
      },
    },
    {
      method: 'GET', path: `${BASE}/:extId/vm-recovery-points/:vmRpExtId`, namespace: 'dataprotection', operation: 'GetVmRecoveryPoint', responseType: `${T}.GetVmRecoveryPointApiResponse`,
      handle: (request) => {
        const vmRp = find(request).rp.vmRecoveryPoints.find((candidate) => candidate.extId === request.params.vmRpExtId);
        if (!vmRp) throw notFound('dataprotection', 'VM recovery point', request.params.vmRpExtId!);
        return { status: 200, body: entityResponse(`${T}.GetVmRecoveryPointApiResponse`, model(`${T}.VmRecoveryPoint`, vmRp), request.url.href) };
      },
    },
    {
      method: 'POST', path: BASE, namespace: 'dataprotection', operation: 'CreateRecoveryPoint', responseType: `${T}.CreateRecoveryPointApiResponse`,
      handle: (request) => {
        const body = parseBody(createBody, request.body, 'dataprotection');
        const vms = body.vmRecoveryPoints.map((item, index) => {
          const vm = ctx.store.vm(item.vmExtId);
          if (!vm) throw errors.invalid('DTP', `vmRecoveryPoints[${index}].vmExtId`, `no VM with extId '${item.vmExtId}'`);
          return vm;
        });
        const name = body.name ?? `${vms[0]!.vm.name}-rp-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        const record = ctx.tasks.create({
          operation: 'CreateRecoveryPoint', rpExtId: randomUUID(), name, recoveryPointType: body.recoveryPointType ?? 'CRASH_CONSISTENT',
          vmExtIds: vms.map((vm) => vm.vm.extId), clusterExtId: vms[0]!.vm.cluster.extId,
          ...(body.expirationTime ? { expirationTime: new Date(body.expirationTime).toISOString() } : {}),
        }, vms.map((vm) => ({ extId: vm.vm.extId, name: vm.vm.name, rel: REL.vm })));
        return accepted(`${T}.CreateRecoveryPointApiResponse`, record);
      },
    },
    {
      method: 'DELETE', path: `${BASE}/:extId`, namespace: 'dataprotection', operation: 'DeleteRecoveryPoint', responseType: `${T}.DeleteRecoveryPointApiResponse`,
      handle: (request) => {
        const record = find(request);
        checkIfMatch(request, record.etag, false);
        return accepted(`${T}.DeleteRecoveryPointApiResponse`, ctx.tasks.create({ operation: 'DeleteRecoveryPoint', rpExtId: record.rp.extId }, entities(record)));
      },
    },
    {
      method: 'POST', path: `${BASE}/:extId/$actions/replicate`, namespace: 'dataprotection', operation: 'ReplicateRecoveryPoint', responseType: `${T}.ReplicateRecoveryPointApiResponse`,
      handle: (request) => {
        const record = find(request);
        const body = parseBody(replicateBody, request.body, 'dataprotection');
        knownCluster('clusterExtId', body.clusterExtId);
        if (record.rp.locationReferences.some((location) => location.locationExtId === body.clusterExtId)) {
          throw errors.invalid('DTP', 'clusterExtId', `recovery point ${record.rp.extId} is already located on cluster ${body.clusterExtId}`);
        }
        const work = { operation: 'ReplicateRecoveryPoint' as const, rpExtId: record.rp.extId, clusterExtId: body.clusterExtId, replicaExtId: randomUUID() };
        return accepted(`${T}.ReplicateRecoveryPointApiResponse`, ctx.tasks.create(work, entities(record)));
      },
    },
    {
      method: 'POST', path: `${BASE}/:extId/$actions/restore`, namespace: 'dataprotection', operation: 'RestoreRecoveryPoint', responseType: `${T}.RestoreRecoveryPointApiResponse`,
      handle: (request) => {
        const record = find(request);
        const body = parseBody(restoreBody, request.body, 'dataprotection');
        const clusterExtId = body.clusterExtId ?? record.rp.locationReferences[0]!.locationExtId;
        knownCluster('clusterExtId', clusterExtId);
        const chosen = body.vmRecoveryPointRestoreOverrides?.map((override, index) => {
          if (!record.contents[override.vmRecoveryPointExtId]) {
            throw errors.invalid('DTP', `vmRecoveryPointRestoreOverrides[${index}].vmRecoveryPointExtId`, `'${override.vmRecoveryPointExtId}' is not a VM recovery point of ${record.rp.extId}`);
          }
          return override.vmRecoveryPointExtId;
        }) ?? record.rp.vmRecoveryPoints.map((vmRp) => vmRp.extId);
        const work = { operation: 'RestoreRecoveryPoint' as const, rpExtId: record.rp.extId, clusterExtId, vmRecoveryPointExtIds: chosen, newVmExtIds: chosen.map(() => randomUUID()) };
        return accepted(`${T}.RestoreRecoveryPointApiResponse`, ctx.tasks.create(work, entities(record)));
      },
    },
    {
      method: 'POST', path: `${BASE}/:extId/$actions/set-expiration-time`, namespace: 'dataprotection', operation: 'SetRecoveryPointExpirationTime', responseType: `${T}.SetRecoveryPointExpirationTimeApiResponse`,
      handle: (request) => {
        const record = find(request);
        const { expirationTime } = parseBody(expiryBody, request.body, 'dataprotection');
        const work = { operation: 'SetRecoveryPointExpirationTime' as const, rpExtId: record.rp.extId, expirationTime: new Date(expirationTime).toISOString() };
        return accepted(`${T}.SetRecoveryPointExpirationTimeApiResponse`, ctx.tasks.create(work, entities(record)));
      },
    },
  ];
}
