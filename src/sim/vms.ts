import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { entityResponse, errors, listResponse } from './envelope.js';
import { parseListQuery, applyListQuery } from './odata/query.js';
import { type Route, type SimContext, type SimRequest, accepted, checkIfMatch, notFound, parseBody } from './router.js';
import { REL, type TaskWork } from './task-work.js';
import type { SimDisk, SimNic, VmConfig, VmRecord } from './types.js';
import { GIB, VM_FIELDS, newDisk, newNic, newVmRecord, vmView, vmWire } from './vm-model.js';

/**
 * `/api/vmm/v4.x/ahv/config/vms`: list and get answer at once; create, update, delete, power
 * actions, revert and category changes are validated at once (bad input → 400, unknown VM →
 * 404, stale ETag → 412) and then run as a task (202 + TaskReference).
 */

const BASE = '/api/vmm/{v}/ahv/config/vms';
const T = 'vmm.v4.ahv.config';

const ref = z.object({ extId: z.string().min(1, 'must not be empty') }).loose();
const positive = (max: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);
const disk = z.object({
  extId: z.string().optional(),
  diskAddress: z.object({ busType: z.enum(['SCSI', 'IDE', 'PCI', 'SATA', 'SPAPR']).optional(), index: z.number().int().min(0).optional() }).loose().optional(),
  backingInfo: z.object({ diskSizeBytes: z.number().int().min(1, 'must be positive').optional(), storageContainer: ref.optional() }).loose().optional(),
}).loose();
const nic = z.object({
  extId: z.string().optional(),
  backingInfo: z.object({ model: z.string().optional(), isConnected: z.boolean().optional(), macAddress: z.string().optional() }).loose().optional(),
  networkInfo: z.object({ subnet: ref.optional(), nicType: z.string().optional(), vlanMode: z.string().optional() }).loose().optional(),
}).loose();
const resources = {
  description: z.string().max(1000).optional(),
  numSockets: positive(64).optional(),
  numCoresPerSocket: positive(64).optional(),
  numThreadsPerCore: positive(8).optional(),
  memorySizeBytes: z.number().int('must be a whole number').min(64 * 1024 ** 2, 'must be at least 64 MiB (67108864)').max(8 * 1024 * GIB).optional(),
  categories: z.array(ref).optional(),
  disks: z.array(disk).optional(),
  nics: z.array(nic).optional(),
  machineType: z.enum(['PC', 'PSERIES', 'Q35']).optional(),
};
const name = z.string({ message: 'is required (a string)' }).min(1, 'must not be empty').max(80, 'must be at most 80 characters');
// Unknown and read-only fields (extId, createTime, $objectType…) are ignored, as clients PUT back what they GET.
const createBody = z.object({ name, cluster: ref.optional(), powerState: z.enum(['ON', 'OFF']).optional(), ...resources }).loose();
const updateBody = z.object({ name: name.optional(), extId: z.string().optional(), ...resources }).loose();
const categoriesBody = z.object({ categories: z.array(ref).min(1, 'must list at least one category') });
const revertBody = z.object({ vmRecoveryPointExtId: z.string({ message: 'is required' }).min(1, 'must not be empty') });

function checkCategories(ctx: SimContext, categories: { extId: string }[] | undefined): string[] | undefined {
  return categories?.map((category, index) => {
    if (!ctx.store.category(category.extId)) throw errors.invalid('VMM', `categories[${index}].extId`, `no category with extId '${category.extId}'`);
    return category.extId;
  });
}

function buildDisks(input: z.infer<typeof disk>[] | undefined, existing: SimDisk[] = []): SimDisk[] | undefined {
  return input?.map((item, index) => {
    const known = existing.find((candidate) => candidate.extId === item.extId);
    const size = item.backingInfo?.diskSizeBytes ?? known?.backingInfo.diskSizeBytes ?? 20 * GIB;
    const built = known ? structuredClone(known) : newDisk(size, item.diskAddress?.index ?? index, item.backingInfo?.storageContainer ? { storageContainer: { extId: item.backingInfo.storageContainer.extId } } : {});
    built.backingInfo.diskSizeBytes = size;
    if (item.diskAddress?.busType) built.diskAddress.busType = item.diskAddress.busType;
    return built;
  });
}

function buildNics(input: z.infer<typeof nic>[] | undefined, existing: SimNic[] = []): SimNic[] | undefined {
  return input?.map((item) => {
    const known = existing.find((candidate) => candidate.extId === item.extId);
    const built = known ? structuredClone(known) : newNic(item.networkInfo?.subnet?.extId);
    if (item.backingInfo?.isConnected !== undefined) built.backingInfo.isConnected = item.backingInfo.isConnected;
    if (!known && item.backingInfo?.macAddress) built.backingInfo.macAddress = item.backingInfo.macAddress;
    delete built.networkInfo.ipv4Info;
    return built;
  });
}

type PowerOperation = 'PowerOnVm' | 'PowerOffVm' | 'ShutdownVm' | 'GuestShutdownVm' | 'RebootVm' | 'GuestRebootVm';

export function vmRoutes(ctx: SimContext): Route[] {
  const endpoint = (record: VmRecord) => ctx.guests?.endpoint(record.vm.extId);
  const wire = (record: VmRecord) => vmWire(vmView(record, endpoint(record)));
  const find = (request: SimRequest): VmRecord => {
    const record = ctx.store.vm(request.params.extId!);
    if (!record) throw notFound('vmm', 'VM', request.params.extId!);
    return record;
  };
  const entities = (record: VmRecord) => [{ extId: record.vm.extId, name: record.vm.name, rel: REL.vm }];
  const task = (request: SimRequest, responseType: string, work: (record: VmRecord) => TaskWork, ifMatch: 'required' | 'optional') => {
    const record = find(request);
    checkIfMatch(request, record.etag, ifMatch === 'required');
    return accepted(responseType, ctx.tasks.create(work(record), entities(record)));
  };
  const power = (path: string, operation: PowerOperation, responseType: string): Route => ({
    method: 'POST', path: `${BASE}/:extId/$actions/${path}`, namespace: 'vmm', operation, responseType: `${T}.${responseType}`,
    handle: (request) => task(request, `${T}.${responseType}`, (record) => ({ operation, vmExtId: record.vm.extId }), 'optional'),
  });

  return [
    {
      method: 'GET', path: BASE, namespace: 'vmm', operation: 'ListVms', responseType: `${T}.ListVmsApiResponse`,
      handle: (request) => {
        const query = parseListQuery(request.url.searchParams, VM_FIELDS);
        return { status: 200, body: listResponse(`${T}.ListVmsApiResponse`, applyListQuery(ctx.store.data.vms.map(wire), query), request.url) };
      },
    },
    {
      method: 'GET', path: `${BASE}/:extId`, namespace: 'vmm', operation: 'GetVm', responseType: `${T}.GetVmApiResponse`,
      handle: (request) => {
        const record = find(request);
        const data = { ...wire(record), $reserved: { $fv: 'v4.r0', ETag: record.etag } };
        return { status: 200, body: entityResponse(`${T}.GetVmApiResponse`, data, request.url.href), headers: { ETag: record.etag } };
      },
    },
    {
      method: 'POST', path: BASE, namespace: 'vmm', operation: 'CreateVm', responseType: `${T}.CreateVmApiResponse`,
      handle: (request) => {
        const body = parseBody(createBody, request.body, 'vmm');
        const clusterExtId = body.cluster?.extId ?? ctx.store.data.clusters[0]!.extId;
        if (!ctx.store.cluster(clusterExtId)) throw errors.invalid('VMM', 'cluster.extId', `no cluster with extId '${clusterExtId}'`);
        const record = newVmRecord({
          ...body, name: body.name, clusterExtId, extId: randomUUID(),
          categories: checkCategories(ctx, body.categories), disks: buildDisks(body.disks), nics: buildNics(body.nics),
        });
        return accepted(`${T}.CreateVmApiResponse`, ctx.tasks.create({ operation: 'CreateVm', record, powerOn: body.powerState === 'ON' }, []));
      },
    },
    {
      method: 'PUT', path: `${BASE}/:extId`, namespace: 'vmm', operation: 'UpdateVm', responseType: `${T}.UpdateVmApiResponse`,
      handle: (request) => {
        const record = find(request);
        checkIfMatch(request, record.etag, true);
        const body = parseBody(updateBody, request.body, 'vmm');
        if (body.extId !== undefined && body.extId !== record.vm.extId) throw errors.invalid('VMM', 'extId', `'${body.extId}' does not match the VM in the path (${record.vm.extId})`);
        const changes: Partial<VmConfig> = {};
        for (const key of ['name', 'description', 'numSockets', 'numCoresPerSocket', 'numThreadsPerCore', 'memorySizeBytes', 'machineType'] as const) {
          if (body[key] !== undefined) Object.assign(changes, { [key]: body[key] });
        }
        const categories = checkCategories(ctx, body.categories);
        if (categories) changes.categories = categories.map((extId) => ({ extId }));
        const disks = buildDisks(body.disks, record.vm.disks);
        if (disks) changes.disks = disks;
        const nics = buildNics(body.nics, record.vm.nics);
        if (nics) changes.nics = nics;
        return accepted(`${T}.UpdateVmApiResponse`, ctx.tasks.create({ operation: 'UpdateVm', vmExtId: record.vm.extId, changes }, entities(record)));
      },
    },
    {
      method: 'DELETE', path: `${BASE}/:extId`, namespace: 'vmm', operation: 'DeleteVm', responseType: `${T}.DeleteVmApiResponse`,
      handle: (request) => task(request, `${T}.DeleteVmApiResponse`, (record) => ({ operation: 'DeleteVm', vmExtId: record.vm.extId }), 'required'),
    },
    power('power-on', 'PowerOnVm', 'PowerOnVmApiResponse'),
    power('power-off', 'PowerOffVm', 'PowerOffVmApiResponse'),
    power('shutdown', 'ShutdownVm', 'ShutdownVmApiResponse'),
    power('guest-shutdown', 'GuestShutdownVm', 'ShutdownVmApiResponse'),
    power('reboot', 'RebootVm', 'RebootVmApiResponse'),
    power('guest-reboot', 'GuestRebootVm', 'RebootVmApiResponse'),
    {
      method: 'POST', path: `${BASE}/:extId/$actions/revert`, namespace: 'vmm', operation: 'RevertVm', responseType: `${T}.RevertVmApiResponse`,
      handle: (request) => {
        const record = find(request);
        checkIfMatch(request, record.etag, true);
        const body = parseBody(revertBody, request.body, 'vmm');
        const vmRecoveryPointExtId = resolveVmRecoveryPoint(ctx, record, body.vmRecoveryPointExtId);
        return accepted(`${T}.RevertVmApiResponse`, ctx.tasks.create({ operation: 'RevertVm', vmExtId: record.vm.extId, vmRecoveryPointExtId }, entities(record)));
      },
    },
    ...(['associate', 'disassociate'] as const).map((verb): Route => {
      const operation = verb === 'associate' ? 'AssociateVmCategories' : 'DisassociateVmCategories';
      const responseType = `${T}.${verb === 'associate' ? 'Associate' : 'Disassociate'}CategoriesApiResponse`;
      return {
        method: 'POST', path: `${BASE}/:extId/$actions/${verb}-categories`, namespace: 'vmm', operation, responseType,
        handle: (request) => {
          const record = find(request);
          checkIfMatch(request, record.etag, false);
          const categoryExtIds = checkCategories(ctx, parseBody(categoriesBody, request.body, 'vmm').categories)!;
          return accepted(responseType, ctx.tasks.create({ operation, vmExtId: record.vm.extId, categoryExtIds }, entities(record)));
        },
      };
    }),
  ];
}

/**
 * The VM recovery point to revert to. Accepts the VM recovery point's extId (the API's
 * contract) or, leniently, the recovery point's own extId when it holds exactly this VM.
 */
function resolveVmRecoveryPoint(ctx: SimContext, record: VmRecord, extId: string): string {
  for (const { rp } of ctx.store.data.recoveryPoints) {
    const direct = rp.vmRecoveryPoints.find((vmRp) => vmRp.extId === extId);
    if (!direct && rp.extId !== extId) continue;
    const found = direct ?? rp.vmRecoveryPoints.find((vmRp) => vmRp.vmExtId === record.vm.extId);
    if (!found) {
      const names = rp.vmRecoveryPoints.map((vmRp) => vmRp.vmExtId).join(', ');
      throw errors.invalid('VMM', 'vmRecoveryPointExtId', `recovery point '${extId}' does not hold VM ${record.vm.name} (${record.vm.extId}); it holds ${names}`);
    }
    if (found.vmExtId !== record.vm.extId) {
      throw errors.invalid('VMM', 'vmRecoveryPointExtId', `'${extId}' is a recovery point of VM ${found.vmExtId}, not of ${record.vm.name} (${record.vm.extId})`);
    }
    return found.extId;
  }
  throw notFound('vmm', 'VM recovery point', extId);
}
