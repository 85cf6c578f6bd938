/**
 * Reads and checks the policy file. Every problem is reported at once as `FILE:field: message
 * (line N)`, so an operator fixes the file in one go; a broken policy stops start-up rather
 * than silently opening (or closing) access.
 */
import { readFile } from 'node:fs/promises';
import { closest, distance } from 'fastest-levenshtein';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ErrorCode, PatchbayError } from '../errors.js';
import { type Policy, type PolicyDocument, openPolicy, policyFromDocument } from './policy.js';

const names = z.array(z.string().min(1, 'must not be empty'), { error: 'expected a list of names' }).default([]);

const RULE_FIELDS = ['flows', 'users', 'groups', 'channels', 'anyone', 'requester'];

const rule = z
  .strictObject({
    flows: z.array(z.string().min(1, 'must not be empty'), { error: 'expected a list of globs such as "company.ops.*"' }).min(1, 'name at least one flow glob'),
    users: names,
    groups: names,
    channels: names,
    anyone: z.boolean().default(false),
    requester: z.boolean().default(false),
  })
  .refine((r) => r.anyone || r.requester || r.users.length > 0 || r.groups.length > 0 || r.channels.length > 0, {
    message: 'say who the rule is for: users, groups, channels, requester or anyone: true',
  });

const documentSchema = z
  .strictObject({ run: z.array(rule).optional(), kill: z.array(rule).optional() }, { error: 'expected a map with `run` and/or `kill` rules' })
  .superRefine((doc, ctx) => {
    doc.run?.forEach((r, i) => {
      if (r.requester) ctx.addIssue({ code: 'custom', path: ['run', i, 'requester'], message: 'only kill rules may name the requester' });
    });
  });

/** `run[0].flows` from a zod path. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('') || '(top level)';
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function issueLines(error: z.ZodError, doc: Document, counter: LineCounter, file: string): string[] {
  return error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const path = key === undefined ? issue.path : [...issue.path, key];
      let message = issue.message;
      if (key !== undefined) {
        const near = closest(key, RULE_FIELDS);
        const hint = issue.path.length > 0 && distance(key, near) <= 2 ? ` (did you mean \`${near}\`?)` : '';
        message = `unknown field${hint}`;
      }
      const line = lineOf(doc, counter, path);
      return `${file}:${fieldName(path)}: ${message}${line ? ` (line ${line})` : ''}`;
    });
  });
}

/** Parses policy text; throws CONFIG_INVALID listing every problem. */
export function parsePolicy(text: string, file: string): Policy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `${file}: line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `PATCHBAY_POLICY_FILE is not valid YAML:\n  ${lines.join('\n  ')}`);
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `PATCHBAY_POLICY_FILE has problems:\n  ${issueLines(parsed.error, doc, counter, file).join('\n  ')}`);
  }
  return policyFromDocument(parsed.data as PolicyDocument, file);
}

/** The policy named by `config.policyFile`, or the open policy when there is none. */
export async function loadPolicy(file: string | undefined): Promise<Policy> {
  if (!file) return openPolicy;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `PATCHBAY_POLICY_FILE ${file}: ${(error as Error).message}`);
  }
  return parsePolicy(text, file);
}
