import { assertNever, taskFailed } from '../../../errors.js';
import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { categoryCondition, categoryIndex, combineFilters, withCategoryNames } from '../categories.js';
import { withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { isObject } from '../envelope.js';
import { shapeVm, vmAssetId } from '../vm.js';

export const FETCH_TYPES = ['FETCH', 'FETCH_ONE', 'NONE'] as const;

const properties = (k: PropKit) => ({
  filter: k.string().optional().describe("OData $filter, e.g. startswith(name, 'prod-') or powerState eq 'ON'"),
  orderBy: k.string().optional().describe('OData $orderby, e.g. name desc'),
  select: k.string().optional().describe('OData $select: the fields to return, comma-separated'),
  limit: k.int({ min: 1, max: 100 }).optional().describe('VMs per page (1–100); Prism Central answers 50 when unset'),
  page: k.int({ min: 0 }).optional().describe('Page number, from 0'),
  categories: k
    .map(k.string())
    .optional()
    .describe('Patchbay: only VMs in all these categories, e.g. {Environment: Production} (combined with `filter`)'),
  categoryNames: k.bool().default(false).describe('Patchbay: add `categoryNames` ({Department: Finance}) to every VM'),
  fetchType: k.enum(FETCH_TYPES).default('FETCH').describe('FETCH: all VMs of the page; FETCH_ONE: the first, failing when none match; NONE: only the count'),
  ...connectionProperties(k),
});

/**
 * Lists VMs with server-side OData filtering, sorting, selection and paging. Outputs `vms`
 * (Kestra's `rows` too) and `size` (VMs on this page), `total` (matches across pages, as Prism
 * counts them); FETCH_ONE outputs `vm` (Kestra's `row`) and declares that VM as used.
 */
export const ListVms = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.ahv.ListVms'],
  title: 'List AHV VMs in Nutanix Prism Central with OData filters',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    return withPrism(context, props, async (client) => {
      const filter = combineFilters(props.filter, props.categories ? await categoryCondition(client, props.categories) : undefined);
      const reply = await client.call({
        method: 'GET',
        path: client.path('vmm', 'ahv/config/vms'),
        operation: 'ListVms',
        query: { $filter: filter, $orderby: props.orderBy, $select: props.select, $limit: props.limit, $page: props.page },
      });
      let vms = (Array.isArray(reply.data) ? reply.data : []).filter(isObject).map(shapeVm);
      if (props.categoryNames) {
        const index = await categoryIndex(client);
        vms = vms.map((vm) => withCategoryNames(vm, index));
      }
      const total = typeof reply.metadata.totalAvailableResults === 'number' ? reply.metadata.totalAvailableResults : vms.length;
      context.log.debug(`ListVms: ${vms.length} VM(s) on this page, ${total} in all`);
      switch (props.fetchType) {
        case 'FETCH':
          return { outputs: { vms, rows: vms, size: vms.length, total } };
        case 'NONE':
          return { outputs: { size: vms.length, total } };
        case 'FETCH_ONE': {
          const vm = vms[0];
          if (!vm) {
            const where = filter ? ` matches filter "${filter}"` : ' exists';
            throw taskFailed(`ListVms (fetchType FETCH_ONE): no VM${where}${props.page ? ` on page ${props.page}` : ''}`, { retryable: false });
          }
          const id = vmAssetId(vm);
          return { outputs: { vm, row: vm, size: 1, total }, ...(id ? { assets: { inputs: [{ id }], outputs: [] } } : {}) };
        }
        default:
          return assertNever(props.fetchType, 'fetchType');
      }
    });
  },
});
