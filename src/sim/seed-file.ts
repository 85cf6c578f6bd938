import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { ErrorCode, PatchbayError } from '../errors.js';
import type { SeedVm } from './seed.js';

/**
 * `patchbay sim --vms FILE`: a YAML or JSON list of VMs to seed, e.g.
 *   - name: web-01
 *     cpu: 2
 *     memory: 4GiB
 *     disk: 40GiB
 *     categories: [Environment:Production, Department:Web]   # or {Environment: Production}
 *     powerState: ON
 * Sizes are a number of bytes or a number with a unit (KiB, MiB, GiB, TiB; K/M/G/T and KB/MB/GB/TB
 * are read as the binary units too, as infrastructure people mean them).
 */

const UNITS: Record<string, number> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([BKMGT])?(?:i?B)?\s*$/i.exec(value);
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * UNITS[(match[2] ?? 'B').toUpperCase()]!);
  return bytes > 0 ? bytes : undefined;
}

const size = (minimum: number, hint: string) =>
  z.union([z.number(), z.string()]).transform((value, context) => {
    const bytes = parseSize(value);
    if (bytes === undefined || bytes < minimum) {
      context.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a size of at least ${hint} (write e.g. 4GiB or 4096MiB; a bare number is bytes)` });
      return z.NEVER;
    }
    return bytes;
  });

const categoryPair = z.string().regex(/^[^:\s][^:]*:[^:]+$/, { message: 'must be Key:Value, e.g. Environment:Production' });

const seedVm = z
  .object({
    name: z.string({ message: 'is required' }).min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    cpu: z.number().int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64').optional(),
    memory: size(64 * 1024 ** 2, '64MiB').optional(),
    disk: size(1024 ** 2, '1MiB').optional(),
    categories: z.union([z.array(categoryPair), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))]).optional(),
    powerState: z.enum(['ON', 'OFF'], { message: 'must be ON or OFF' }).optional(),
    description: z.string().optional(),
  })
  .strict();

const seedFile = z.array(seedVm, { message: 'must be a list of VMs' }).min(1, 'must list at least one VM').superRefine((vms, context) => {
  const seen = new Set<string>();
  vms.forEach((vm, index) => {
    if (seen.has(vm.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `'${vm.name}' appears twice` });
    seen.add(vm.name);
  });
});

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '') || '(top level)';
}

/** Parses and validates a VM list; errors name the file and the field (`vms.yaml: [1].memory: …`). */
export function parseSeedVms(text: string, file: string): SeedVm[] {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new PatchbayError(ErrorCode.INPUT_INVALID, `--vms ${file}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  // `powerState: ON` is YAML 1.1's boolean true in some parsers; the yaml package (1.2) keeps it a string.
  const parsed = seedFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const unknownKey = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')}; known: name, cpu, memory, disk, categories, powerState, description)` : '';
    throw new PatchbayError(ErrorCode.INPUT_INVALID, `--vms ${file}: ${fieldPath(issue.path)}: ${issue.message}${unknownKey}`);
  }
  return parsed.data.map((vm) => ({
    name: vm.name,
    ...(vm.cpu ? { cpu: vm.cpu } : {}),
    ...(vm.memory ? { memoryBytes: vm.memory } : {}),
    ...(vm.disk ? { diskBytes: vm.disk } : {}),
    ...(vm.powerState ? { powerState: vm.powerState } : {}),
    ...(vm.description ? { description: vm.description } : {}),
    categories: Array.isArray(vm.categories) ? vm.categories : Object.entries(vm.categories ?? {}).map(([key, value]) => `${key}:${String(value)}`),
  }));
}

export async function loadSeedVms(file: string): Promise<SeedVm[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PatchbayError(ErrorCode.INPUT_INVALID, `--vms ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseSeedVms(text, file);
}
