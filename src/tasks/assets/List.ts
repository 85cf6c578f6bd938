import { z } from 'zod';
import { summary } from '../../assets/store.js';
import type { AssetListFilter } from '../../assets/types.js';
import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { assetStore, kestraConnection, noteIgnored } from './inventory.js';

/** Kestra's default is STORE (an ION file in internal storage); Patchbay keeps no file storage. */
const FETCH_TYPES = ['FETCH', 'FETCH_ONE', 'NONE'] as const;

const properties = (k: PropKit) => ({
  namespace: k.string().optional().describe('Only assets of this namespace'),
  types: k.list(z.string()).optional().describe('Only assets of these types'),
  metadataQuery: k
    .list(
      z.strictObject({
        field: k.string().describe('Metadata key'),
        type: k.enum(['EQUAL_TO', 'NOT_EQUAL_TO']).default('EQUAL_TO'),
        value: k.json().describe('The value the key must (not) have'),
      }),
    )
    .optional()
    .describe('Conditions on metadata, all of which must hold'),
  fetchType: k.enum(FETCH_TYPES).default('FETCH').describe('FETCH: `assets` output; FETCH_ONE: the first as `asset`; NONE: only `size`'),
  page: k.int({ min: 1 }).default(1).describe('Page number, from 1'),
  size: k.int({ min: 1, max: 1000 }).default(100).describe('Assets per page'),
  ...kestraConnection(k),
});

/**
 * Lists assets by filter (Kestra's asset List task), in id order, deleted ones left out.
 * Outputs `assets` (FETCH) or `asset` (FETCH_ONE), and `size`, the number on this page.
 */
export const AssetList = defineTask({
  types: ['io.kestra.plugin.kestra.ee.assets.List'],
  title: 'List assets of the inventory by type, namespace and metadata',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    noteIgnored(context.log, props);
    const filter: AssetListFilter = { limit: props.size, offset: (props.page - 1) * props.size };
    if (props.namespace !== undefined) filter.namespace = props.namespace;
    if (props.types && props.types.length > 0) filter.types = props.types;
    for (const [index, condition] of (props.metadataQuery ?? []).entries()) {
      if (condition.field.trim() === '') throw taskFailed(`\`metadataQuery[${index}].field\`: must not be empty`, { retryable: false });
      const target = condition.type === 'EQUAL_TO' ? (filter.metadata ??= {}) : (filter.metadataNot ??= {});
      if (Object.hasOwn(target, condition.field)) {
        throw taskFailed(`\`metadataQuery[${index}]\`: \`${condition.field}\` already has a ${condition.type} condition`, { retryable: false });
      }
      target[condition.field] = condition.value;
    }
    const assets = (await assetStore(context).list(filter)).assets.map(summary);
    if (props.fetchType === 'FETCH_ONE') return { outputs: assets[0] ? { asset: assets[0], size: assets.length } : { size: 0 } };
    if (props.fetchType === 'NONE') return { outputs: { size: assets.length } };
    return { outputs: { assets, size: assets.length } };
  },
});
