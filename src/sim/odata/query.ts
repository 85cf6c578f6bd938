import { checkFields, matches, ordering, resolvePath } from './evaluate.js';
import { ODataError } from './lexer.js';
import { type Expr, parseFilter } from './parser.js';

/**
 * The list query options of every v4 list endpoint: `$filter`, `$orderby`, `$select`,
 * `$page` (0-based) and `$limit` (1–100, default 50). `parseListQuery` validates them all up
 * front (an error names the option and what is wrong); `applyListQuery` is then pure.
 */

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

export interface OrderTerm {
  path: string[];
  descending: boolean;
}

export interface ListQuery {
  filter?: Expr;
  orderBy: OrderTerm[];
  /** Top-level or nested (`cluster/extId`) paths; absent = every field. */
  select?: string[][];
  page: number;
  limit: number;
}

const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\/[A-Za-z_$][A-Za-z0-9_$]*)*$/;

function checkPath(option: string, path: string, fields: ReadonlySet<string>): string[] {
  if (!PATH.test(path)) throw new ODataError(option, `'${path}' is not a field path`);
  const segments = path.split('/');
  if (!fields.has(segments[0]!)) throw new ODataError(option, `unknown field '${path}' (fields: ${[...fields].sort().join(', ')})`);
  return segments;
}

export function parseOrderBy(text: string, fields: ReadonlySet<string>): OrderTerm[] {
  return text.split(',').map((term) => {
    const words = term.trim().split(/\s+/);
    if (!words[0]) throw new ODataError('$orderby', `empty sort term in '${text}'`);
    if (words.length > 2 || (words[1] !== undefined && !/^(asc|desc)$/i.test(words[1]))) {
      throw new ODataError('$orderby', `'${term.trim()}' is not '<field> [asc|desc]'`);
    }
    return { path: checkPath('$orderby', words[0], fields), descending: words[1]?.toLowerCase() === 'desc' };
  });
}

export function parseSelect(text: string, fields: ReadonlySet<string>): string[][] {
  return text.split(',').map((path) => checkPath('$select', path.trim(), fields));
}

function integer(option: string, raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || raw === '') return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ODataError(option, `must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max}, got '${raw}'`);
  }
  return value;
}

export function parseListQuery(params: URLSearchParams, fields: ReadonlySet<string>): ListQuery {
  const query: ListQuery = {
    orderBy: [],
    page: integer('$page', params.get('$page'), 0, 0, Number.MAX_SAFE_INTEGER),
    limit: integer('$limit', params.get('$limit'), DEFAULT_LIMIT, 1, MAX_LIMIT),
  };
  const filter = params.get('$filter');
  if (filter !== null) {
    query.filter = parseFilter(filter);
    checkFields(query.filter, fields);
  }
  const orderBy = params.get('$orderby');
  if (orderBy !== null && orderBy.trim()) query.orderBy = parseOrderBy(orderBy, fields);
  const select = params.get('$select');
  if (select !== null && select.trim()) query.select = parseSelect(select, fields);
  return query;
}

/** Sorts stably; entities lacking the sort field come last whatever the direction. */
export function sortItems<T>(items: readonly T[], orderBy: readonly OrderTerm[]): T[] {
  if (orderBy.length === 0) return [...items];
  return [...items].sort((a, b) => {
    for (const term of orderBy) {
      const left = resolvePath(a, term.path);
      const right = resolvePath(b, term.path);
      if (left === undefined && right === undefined) continue;
      if (left === undefined) return 1;
      if (right === undefined) return -1;
      const order = ordering(left, right) ?? 0;
      if (order !== 0) return term.descending ? -order : order;
    }
    return 0;
  });
}

/** Keeps the selected paths; `extId`, `$objectType` and `$reserved` always stay (clients key on them). */
export function selectFields(item: Record<string, unknown>, select: readonly string[][]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of ['$objectType', '$reserved', 'extId']) if (key in item) result[key] = item[key];
  for (const path of select) {
    const value = resolvePath(item, path);
    if (value === undefined) continue;
    let target = result;
    for (const segment of path.slice(0, -1)) {
      const existing = target[segment];
      target = (target[segment] = existing && typeof existing === 'object' ? existing : {}) as Record<string, unknown>;
    }
    target[path[path.length - 1]!] = value;
  }
  return result;
}

export function applyListQuery(items: readonly Record<string, unknown>[], query: ListQuery): { items: Record<string, unknown>[]; total: number; page: number; limit: number } {
  const filtered = query.filter ? items.filter((item) => matches(query.filter!, item)) : [...items];
  const sorted = sortItems(filtered, query.orderBy);
  const start = query.page * query.limit;
  const page = sorted.slice(start, start + query.limit);
  return {
    items: query.select ? page.map((item) => selectFields(item, query.select!)) : page,
    total: filtered.length,
    page: query.page,
    limit: query.limit,
  };
}
