import { isPatchbayError } from '../errors.js';
import { SimError } from './envelope.js';
import { type FaultBook, type FaultSpec, parseFaultSpec, validateFaultSpec } from './faults.js';
import type { SimContext, SimRequest, SimResponse } from './router.js';
import { vmView } from './vm-model.js';

/**
 * The simulator's own admin API, authenticated like the v4 API:
 *   GET    /_sim/faults   armed faults (count = what is left)
 *   POST   /_sim/faults   arm one or more: a FaultSpec object, `{"spec":"fail-task=CreateVm"}`, or a list of either
 *   DELETE /_sim/faults   disarm all (bad-patch faults are cleared on the guests too)
 *   GET    /_sim/state    a summary: clusters, VMs with their guests, recovery points, task counts
 */

function toSpec(item: unknown): FaultSpec {
  if (typeof item === 'string') return parseFaultSpec(item);
  if (item && typeof item === 'object' && 'spec' in item && typeof item.spec === 'string' && Object.keys(item).length === 1) return parseFaultSpec(item.spec);
  return validateFaultSpec(item);
}

function badRequest(message: string): SimError {
  return new SimError(400, 'SIM-40000', message, 'INVALID_FAULT');
}

export function adminHandler(ctx: SimContext, faults: FaultBook): (request: SimRequest) => Promise<SimResponse> {
  return async (request) => {
    const path = request.url.pathname.replace(/\/+$/, '');
    if (path === '/_sim/faults') {
      switch (request.method) {
        case 'GET':
          return { status: 200, body: { data: faults.list() } };
        case 'POST': {
          if (request.body === undefined) throw badRequest('body: send a fault, e.g. {"kind":"fail-task","operation":"CreateVm"} or {"spec":"fail-task=CreateVm"}');
          const items = Array.isArray(request.body) ? request.body : [request.body];
          let specs: FaultSpec[];
          try {
            specs = items.map(toSpec);
          } catch (error) {
            if (isPatchbayError(error)) throw badRequest(error.message);
            throw error;
          }
          for (const spec of specs) faults.inject(spec);
          ctx.log(`sim: faults armed: ${JSON.stringify(specs)}`);
          return { status: 201, body: { data: faults.list() } };
        }
        case 'DELETE':
          faults.clear();
          return { status: 200, body: { data: [] } };
        default:
          throw new SimError(405, 'PLAT-10405', `${request.method} is not allowed on /_sim/faults (GET, POST, DELETE).`, 'METHOD_NOT_ALLOWED');
      }
    }
    if (path === '/_sim/state' && request.method === 'GET') {
      const data = ctx.store.data;
      return {
        status: 200,
        body: {
          data: {
            clusters: data.clusters,
            vms: data.vms.map((record) => {
              const vm = vmView(record, ctx.guests?.endpoint(record.vm.extId));
              return { name: vm.name, extId: vm.extId, powerState: vm.powerState, guest: vm.simulatedGuest ?? null, guestState: ctx.guests?.state(vm.extId) ?? record.guest };
            }),
            recoveryPoints: data.recoveryPoints.map(({ rp }) => ({ extId: rp.extId, name: rp.name, location: rp.locationReferences[0]?.locationExtId, vms: rp.vmRecoveryPoints.map((vmRp) => vmRp.vmExtId) })),
            categories: data.categories.map(({ extId, key, value }) => ({ extId, key, value })),
            tasks: data.tasks.reduce<Record<string, number>>((counts, { task }) => ({ ...counts, [task.status]: (counts[task.status] ?? 0) + 1 }), {}),
            faults: faults.list(),
          },
        },
      };
    }
    throw new SimError(404, 'PLAT-10404', `No such admin API: ${request.method} ${path} (GET/POST/DELETE /_sim/faults, GET /_sim/state).`, 'NOT_FOUND');
  };
}
