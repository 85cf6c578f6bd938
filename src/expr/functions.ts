import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ASSET_QUERY_PARAMS, parseAssetQuery } from '../assets/query.js';
import type { AssetQuery, AssetSummary } from '../assets/types.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { defineFunction, exprError, type ExprFunction } from './define.js';
import { formatDate } from './filters/dates.js';
import { booleanArg, isMap, isNullish, kindOf, show, stringArg } from './filters/values.js';

/** Kestra's expression functions (the Pebble core ones that flows use, plus Kestra's own). */

declare module './define.js' {
  interface RenderScope {
    /**
     * Answers `assets(…)` from lookups fetched before the render (engine/render-scope.ts):
     * rendering is synchronous and the inventory too large to preload.
     */
    assets?: (query: AssetQuery) => AssetSummary[];
  }
}

/** Kestra bounds `range` so that one expression cannot exhaust memory. */
const MAX_RANGE_SIZE = 1_000_000;

function range(start: unknown, end: unknown, incrementArg: unknown): unknown[] {
  if (isNullish(start) || isNullish(end)) throw exprError('`range` expects `start` and `end`, e.g. range(1, 5)');
  if (incrementArg !== undefined && typeof incrementArg !== 'number') {
    throw exprError(`\`range\`: the increment must be a number, got ${kindOf(incrementArg)} ${show(incrementArg)}`);
  }
  const increment = Math.trunc(incrementArg ?? 1);
  if (increment === 0) throw exprError('`range`: the increment must be different from 0');
  let from: number;
  let to: number;
  let asChar = false;
  if (typeof start === 'number' && typeof end === 'number') {
    from = Math.trunc(start);
    to = Math.trunc(end);
  } else if (typeof start === 'string' && typeof end === 'string' && start.length === 1 && end.length === 1) {
    from = start.charCodeAt(0);
    to = end.charCodeAt(0);
    asChar = true;
  } else {
    throw exprError(`\`range\` takes two numbers or two one-character strings, got ${show(start)} and ${show(end)}`);
  }
  const size = Math.floor(Math.abs(to - from) / Math.abs(increment)) + 1;
  if (size > MAX_RANGE_SIZE) throw exprError(`\`range\` cannot produce more than ${MAX_RANGE_SIZE} elements, this call would produce ${size}`);
  const values: unknown[] = [];
  // Both ends are included, as in Pebble; an increment pointing away from `end` gives [].
  for (let value = from; increment > 0 ? value <= to : value >= to; value += increment) {
    values.push(asChar ? String.fromCharCode(value) : value);
  }
  return values;
}

function fromJson(name: string, json: unknown): unknown {
  if (isNullish(json)) return null;
  if (typeof json !== 'string') throw exprError(`\`${name}\` expects a JSON string, got ${kindOf(json)} ${show(json)}`);
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw exprError(`\`${name}\`: invalid JSON (${(error as Error).message}): ${show(json)}`);
  }
}

/** A UUID version 7 (time-ordered), the kind Kestra's `uuid()` generates. */
function uuidV7(now: Date): string {
  const bytes = randomBytes(16);
  let millis = BigInt(now.getTime());
  for (let index = 5; index >= 0; index--) {
    bytes[index] = Number(millis & 0xffn);
    millis >>= 8n;
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const allFunctions: ExprFunction[] = [
  defineFunction({
    name: 'now',
    params: ['format', 'timeZone', 'locale'],
    call: (args, scope) => formatDate('now', scope.now?.() ?? new Date(), args),
  }),
  defineFunction({
    name: 'range',
    params: ['start', 'end', 'increment'],
    call: (args) => range(args.start, args.end, args.increment),
  }),
  defineFunction({ name: 'fromJson', params: ['json'], call: (args) => fromJson('fromJson', args.json) }),
  // `json()` is the pre-0.18 name of `fromJson()`; Kestra still accepts it.
  defineFunction({ name: 'json', params: ['json'], call: (args) => fromJson('json', args.json) }),
  defineFunction({
    name: 'yaml',
    params: ['yaml'],
    call(args) {
      if (isNullish(args.yaml)) return null;
      const text = stringArg('yaml', 'yaml', args.yaml);
      try {
        return parseYaml(text) as unknown;
      } catch (error) {
        throw exprError(`\`yaml\`: invalid YAML (${(error as Error).message.split('\n')[0]})`);
      }
    },
  }),
  defineFunction({
    name: 'secret',
    params: ['key', 'subkey'],
    call(args, scope) {
      if (isNullish(args.key)) throw exprError("`secret` expects the secret's name, e.g. secret('GITHUB_TOKEN')");
      const key = stringArg('secret', 'key', args.key);
      const value = scope.secret?.(key);
      if (value === undefined) {
        throw new PatchbayError(ErrorCode.SECRET_MISSING, `secret \`${key}\` does not exist`, { details: { secret: key } });
      }
      scope.revealedSecrets.add(value);
      if (isNullish(args.subkey)) return value;
      const subkey = stringArg('secret', 'subkey', args.subkey);
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw exprError(`\`secret\`: secret \`${key}\` is not a JSON object, so it has no subkey \`${subkey}\``);
      }
      if (!isMap(parsed) || !Object.hasOwn(parsed, subkey)) throw exprError(`\`secret\`: secret \`${key}\` has no subkey \`${subkey}\``);
      const field = parsed[subkey];
      const text = typeof field === 'string' ? field : JSON.stringify(field);
      scope.revealedSecrets.add(text);
      return field;
    },
  }),
  defineFunction({
    name: 'kv',
    params: ['key', 'namespace', 'errorOnMissing'],
    call(args, scope) {
      if (isNullish(args.key)) throw exprError("`kv` expects a key, e.g. kv('last_run')");
      const key = stringArg('kv', 'key', args.key);
      const namespace = isNullish(args.namespace) ? scope.namespace : stringArg('kv', 'namespace', args.namespace);
      const errorOnMissing = isNullish(args.errorOnMissing) ? true : booleanArg('kv', 'errorOnMissing', args.errorOnMissing);
      if (namespace === undefined) throw exprError(`\`kv\`: no namespace to read \`${key}\` from; pass one: kv('${key}', 'my.namespace')`);
      if (!scope.kv) throw exprError('`kv` is not available in this context');
      const entry = scope.kv(namespace, key);
      if (entry.found) return entry.value ?? null;
      if (!errorOnMissing) return null;
      throw new PatchbayError(ErrorCode.KV_MISSING, `key \`${key}\` does not exist in namespace \`${namespace}\``, { details: { key, namespace } });
    },
  }),
  defineFunction({
    name: 'assets',
    params: ASSET_QUERY_PARAMS,
    call(args, scope) {
      const query = parseAssetQuery(args);
      if (!scope.assets) throw exprError('`assets` is not available in this context');
      return scope.assets(query);
    },
  }),
  defineFunction({ name: 'appLink', params: [], call: (_args, scope) => scope.appLink?.() ?? null }),
  defineFunction({ name: 'uuid', params: [], call: (_args, scope) => uuidV7(scope.now?.() ?? new Date()) }),
];
