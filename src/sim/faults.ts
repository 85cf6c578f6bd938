import { z } from 'zod';
import { ErrorCode, PatchbayError } from '../errors.js';
import { OPERATIONS, TASK_OPERATIONS } from './operations.js';

/**
 * Injected faults. Given at start (`faults` option, `patchbay sim --fault`), through the admin
 * API (`/_sim/faults`) or `simulator.faults.inject`. A fault with a `count` applies to that many
 * matching calls or tasks, then disappears; `slow-task` without a count lasts until cleared.
 * `operation: '*'` matches every operation.
 */

const operation = z.enum(['*', ...OPERATIONS] as [string, ...string[]], { message: `must be '*' or one of ${OPERATIONS.join(', ')}` });
const taskOperation = z.enum(['*', ...Object.keys(TASK_OPERATIONS)] as [string, ...string[]], {
  message: `must be '*' or an async operation: ${Object.keys(TASK_OPERATIONS).join(', ')}`,
});
const count = z.number().int().min(1).optional();
const ms = z.number().int().min(0).max(3_600_000);

export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fail-call'), operation, count, status: z.number().int().min(400).max(599).optional(), code: z.string().min(1).optional(), message: z.string().min(1).optional() }).strict(),
  z.object({ kind: z.literal('delay-call'), operation, count, ms }).strict(),
  z.object({ kind: z.literal('fail-task'), operation: taskOperation, count, code: z.string().min(1).optional(), message: z.string().min(1).optional() }).strict(),
  z.object({ kind: z.literal('slow-task'), operation: taskOperation, count, ms }).strict(),
  z.object({ kind: z.literal('drop-response'), operation, count }).strict(),
  z.object({ kind: z.literal('bad-patch'), vm: z.string().min(1) }).strict(),
]);
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type FaultKind = FaultSpec['kind'];

const USAGE: Record<FaultKind, string> = {
  'fail-call': 'fail-call=<operation>[:<status>[:<count>]]',
  'delay-call': 'delay-call=<operation>:<ms>[:<count>]',
  'fail-task': 'fail-task=<operation>[:<count>]',
  'slow-task': 'slow-task=<operation>:<ms>[:<count>]',
  'drop-response': 'drop-response=<operation>[:<count>]',
  'bad-patch': 'bad-patch=<vm name>',
};

function invalid(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.USAGE, message);
}

/** Validates a fault given as JSON (admin API, options); the error names the field. */
export function validateFaultSpec(value: unknown): FaultSpec {
  const parsed = faultSpecSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : 'kind';
  const message = issue.path[0] === 'kind' || !issue.path.length ? `must be one of ${Object.keys(USAGE).join(', ')}` : issue.message;
  throw invalid(`fault ${JSON.stringify(value)}: ${field} ${message}`);
}

/** `KIND=TARGET[:ARG…]`, e.g. `bad-patch=prod-web-01`, `fail-task=CreateVm`, `slow-task=CreateRecoveryPoint:3000`. */
export function parseFaultSpec(text: string): FaultSpec {
  const eq = text.indexOf('=');
  const kind = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (!Object.hasOwn(USAGE, kind)) throw invalid(`fault '${text}': unknown kind '${kind}' (kinds: ${Object.values(USAGE).join(', ')})`);
  const usage = USAGE[kind as FaultKind];
  const target = eq < 0 ? '' : text.slice(eq + 1).trim();
  if (!target) throw invalid(`fault '${text}': missing target; use ${usage}`);
  if (kind === 'bad-patch') return validateFaultSpec({ kind, vm: target });
  const [op, ...args] = target.split(':');
  const number = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw invalid(`fault '${text}': ${name} must be a whole number, got '${raw}'; use ${usage}`);
    return Number(raw);
  };
  const maxArgs = kind === 'fail-call' || kind === 'delay-call' || kind === 'slow-task' ? 2 : 1;
  if (args.length > maxArgs) throw invalid(`fault '${text}': too many ':' parts; use ${usage}`);
  const wrap = (spec: Record<string, unknown>): FaultSpec => {
    const clean = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
    try {
      return validateFaultSpec(clean);
    } catch (error) {
      throw invalid(`fault '${text}': ${(error as Error).message.replace(/^fault \{.*?\}: /, '')}; use ${usage}`);
    }
  };
  switch (kind) {
    case 'fail-call':
      return wrap({ kind, operation: op, status: number('status', args[0]), count: number('count', args[1]) });
    case 'delay-call':
    case 'slow-task':
      if (args[0] === undefined) throw invalid(`fault '${text}': missing milliseconds; use ${usage}`);
      return wrap({ kind, operation: op, ms: number('ms', args[0]), count: number('count', args[1]) });
    default:
      return wrap({ kind, operation: op, count: number('count', args[0]) });
  }
}

interface Entry {
  spec: FaultSpec;
  /** Calls or tasks left; undefined = until cleared. */
  remaining: number | undefined;
}

export interface CallFaults {
  delayMs: number;
  fail?: { status: number; code?: string; message?: string };
  drop: boolean;
}

export interface TaskFaults {
  durationMs?: number;
  fail?: { code?: string; message?: string };
}

export class FaultBook {
  private entries: Entry[] = [];

  constructor(private readonly badPatch: (vm: string, on: boolean) => void) {}

  inject(value: FaultSpec): FaultSpec {
    const spec = validateFaultSpec(value);
    const defaultCount = spec.kind === 'slow-task' || spec.kind === 'bad-patch' ? undefined : 1;
    this.entries.push({ spec, remaining: 'count' in spec && spec.count !== undefined ? spec.count : defaultCount });
    if (spec.kind === 'bad-patch') this.badPatch(spec.vm, true);
    return spec;
  }

  clear(): void {
    for (const { spec } of this.entries) if (spec.kind === 'bad-patch') this.badPatch(spec.vm, false);
    this.entries = [];
  }

  /** The armed faults, `count` being what is left. */
  list(): FaultSpec[] {
    return this.entries.map(({ spec, remaining }) => (remaining === undefined || spec.kind === 'bad-patch' ? spec : { ...spec, count: remaining }));
  }

  /** Takes (consumes) the first armed fault of `kind` matching `operation`. */
  private take<K extends FaultKind>(kind: K, op: string): Extract<FaultSpec, { kind: K }> | undefined {
    const entry = this.entries.find((candidate) => candidate.spec.kind === kind && 'operation' in candidate.spec && (candidate.spec.operation === '*' || candidate.spec.operation === op));
    if (!entry) return undefined;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.entries.splice(this.entries.indexOf(entry), 1);
    }
    return entry.spec as Extract<FaultSpec, { kind: K }>;
  }

  forCall(op: string): CallFaults {
    const delay = this.take('delay-call', op);
    const fail = this.take('fail-call', op);
    const drop = this.take('drop-response', op);
    return {
      delayMs: delay?.ms ?? 0,
      ...(fail ? { fail: { status: fail.status ?? 503, code: fail.code, message: fail.message } } : {}),
      drop: drop !== undefined,
    };
  }

  forTask(op: string): TaskFaults {
    const slow = this.take('slow-task', op);
    const fail = this.take('fail-task', op);
    return { ...(slow ? { durationMs: slow.ms } : {}), ...(fail ? { fail: { code: fail.code, message: fail.message } } : {}) };
  }
}
