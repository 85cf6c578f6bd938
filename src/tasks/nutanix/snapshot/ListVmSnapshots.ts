import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import type { PrismClient } from '../client.js';
import { withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { type Json, isObject } from '../envelope.js';
import { recoveryPointsPath, shapeRecoveryPoint } from './recovery-points.js';

const properties = (k: PropKit) => ({
  vmExtId: k.string().optional().describe('Only the recovery points that hold this VM'),
  filter: k.string().optional().describe("OData $filter on recovery points, e.g. startswith(name, 'pre-patch')"),
  orderBy: k.string().optional().describe('OData $orderby, e.g. creationTime desc'),
  limit: k.int({ min: 1, max: 100 }).optional().describe('Recovery points per page (1–100)'),
  page: k.int({ min: 0 }).optional().describe('Page number, from 0'),
  ...connectionProperties(k),
});

/** Pages read at most when filtering by VM on the client side (100 each). */
const MAX_PAGES = 50;
const PAGE = 100;

/**
 * Lists recovery points. Outputs `snapshots` (each with `snapshotExtId`, `vmExtIds`) and `size`.
 * `vmExtId` is applied by Patchbay, not Prism (the v4 filter on nested VM recovery points is
 * not portable): every page matching `filter` is read, then `page`/`limit` apply to the result.
 */
export const ListVmSnapshots = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.snapshot.ListVmSnapshots'],
  title: 'List recovery points (snapshots), optionally of one VM',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    return withPrism(context, props, async (client) => {
      const vmExtId = props.vmExtId?.trim();
      if (!vmExtId) {
        const { items, total } = await listPage(client, props.filter, props.orderBy, props.limit, props.page);
        const snapshots = items.map(shapeRecoveryPoint);
        return { outputs: { snapshots, size: snapshots.length, total } };
      }
      const all: Json[] = [];
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const { items } = await listPage(client, props.filter, props.orderBy, PAGE, page);
        all.push(...items);
        if (items.length < PAGE) break;
      }
      const matching = all.map(shapeRecoveryPoint).filter((rp) => (rp.vmExtIds as string[]).includes(vmExtId));
      const limit = props.limit ?? matching.length;
      const start = (props.page ?? 0) * limit;
      const snapshots = matching.slice(start, start + limit);
      return { outputs: { snapshots, size: snapshots.length, total: matching.length } };
    });
  },
});

async function listPage(client: PrismClient, filter: string | undefined, orderBy: string | undefined, limit: number | undefined, page: number | undefined): Promise<{ items: Json[]; total: number }> {
  const reply = await client.call({
    method: 'GET',
    path: recoveryPointsPath(client),
    operation: 'ListVmSnapshots',
    query: { $filter: filter, $orderby: orderBy, $limit: limit, $page: page },
  });
  const items = (Array.isArray(reply.data) ? reply.data : []).filter(isObject);
  const total = typeof reply.metadata.totalAvailableResults === 'number' ? reply.metadata.totalAvailableResults : items.length;
  return { items, total };
}
