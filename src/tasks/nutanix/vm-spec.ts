import { lookupCategory } from './categories.js';
import { z } from 'zod';
import { taskFailed } from '../../errors.js';
import { type PropKit, isTemplate } from '../kit.js';
import type { PrismClient } from './client.js';
import { type Json, isObject } from './envelope.js';

/**
 * Kestra's AhvVm (`vm` of CreateVm and UpdateVm): name, description, cluster, grouped
 * `resources`, plus `categories`. The object is loose: it is "a full AHV VM payload compatible
 * with the VMM v4 API", so other v4 fields (bootConfig, machineType, guestCustomization…) are
 * passed through to Prism unchanged.
 */
export function vmSpecSchema(k: PropKit, options: { create: boolean }) {
  const name = k.string().describe('VM name');
  const cluster = z.strictObject({ extId: k.string().describe('extId of the cluster') });
  const spec = z.looseObject({
    name: options.create ? name : name.optional(),
    description: k.string().optional().describe('VM description'),
    cluster: options.create ? cluster.describe('Cluster the VM runs on') : cluster.optional(),
    resources: z
      .looseObject({
        numSockets: k.int({ min: 1 }).optional(),
        numCoresPerSocket: k.int({ min: 1 }).optional(),
        numThreadsPerCore: k.int({ min: 1 }).optional(),
        memorySizeBytes: k.int({ min: 1 }).optional(),
        disks: k.list(k.json()).optional().describe('v4 Disk objects'),
        nics: k.list(k.json()).optional().describe('v4 Nic objects'),
      })
      .optional()
      .describe('CPU, memory, disks and NICs'),
    categories: k
      .list(z.union([k.string(), z.looseObject({ extId: k.string().optional(), key: k.string().optional(), value: k.string().optional() })]))
      .optional()
      .describe('Categories: extIds, {extId}, or {key, value} looked up in Prism Central'),
  });
  return objectOrTemplate(k, spec);
}

/**
 * Kestra renders `vm: "{{ inputs.vm }}"` as a whole: at load a template string stands for the
 * object; at run a rendered JSON text is parsed before the object is checked.
 */
function objectOrTemplate<T extends z.ZodType>(k: PropKit, schema: T): z.ZodType<z.output<T>> {
  if (k.mode === 'load') return z.union([schema, z.string().refine(isTemplate, { message: 'expected an object, or a {{ expression }}' })]) as unknown as z.ZodType<z.output<T>>;
  const parse = (value: unknown): unknown => {
    if (typeof value !== 'string' || !value.trim().startsWith('{')) return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return z.preprocess(parse, schema) as unknown as z.ZodType<z.output<T>>;
}

export type VmSpec = Json & { name?: string; description?: string; cluster?: { extId: string }; resources?: Json; categories?: unknown[] };

/** Fields of Kestra's AhvVm that Prism computes (or that Patchbay adds to outputs): never sent. */
const OUTPUT_ONLY = new Set(['extId', 'ip', 'resources', 'categories', 'ipAddresses', 'sshPort', 'httpPort', 'healthUrl', 'clusterExtId']);

/** The flat v4 Vm body of a spec: `resources` spread to the top level, categories resolved. */
export function vmBody(spec: VmSpec, categories: { extId: string }[] | undefined): Json {
  const body: Json = {};
  for (const [key, value] of Object.entries(spec)) if (!OUTPUT_ONLY.has(key) && value !== undefined) body[key] = value;
  for (const [key, value] of Object.entries(spec.resources ?? {})) if (value !== undefined) body[key] = value;
  if (categories) body.categories = categories;
  return body;
}

/**
 * Category references as v4 wants them (`[{extId}]`). A `{key, value}` pair is looked up with
 * `$filter=key eq '…' and value eq '…'`; an unknown pair fails, naming it.
 */
export async function resolveCategories(client: PrismClient, refs: unknown[] | undefined, operation: string): Promise<{ extId: string }[] | undefined> {
  if (refs === undefined) return undefined;
  const out: { extId: string }[] = [];
  for (const [index, ref] of refs.entries()) {
    if (typeof ref === 'string' && ref.trim() !== '') out.push({ extId: ref.trim() });
    else if (isObject(ref) && typeof ref.extId === 'string' && ref.extId.trim() !== '') out.push({ extId: ref.extId.trim() });
    else if (isObject(ref) && typeof ref.key === 'string' && typeof ref.value === 'string') out.push({ extId: await lookupCategory(client, ref.key, ref.value, operation, 'vm.categories') });
    else throw taskFailed(`\`vm.categories[${index}]\`: expected a category extId, {extId}, or {key, value}`, { retryable: false });
  }
  return out;
}

