import { taskFailed } from '../../errors.js';
import type { PrismClient } from './client.js';
import { type Json, isObject } from './envelope.js';
import { odataString } from './vm.js';

/**
 * Categories by name. Prism's VMs carry only category extIds, so a flow that says "every VM
 * of Environment:Production" or "vCPU per Department" needs the categories API in between:
 * these helpers turn `{Environment: Production}` into an OData condition on extIds, and
 * extIds back into `key: value` names on VM outputs.
 */

/** The extId of category `key:value`; an unknown pair fails, naming the property that asked for it. */
export async function lookupCategory(client: PrismClient, key: string, value: string, operation: string, property: string): Promise<string> {
  const reply = await client.call({
    method: 'GET',
    path: client.path('prism', 'config/categories'),
    operation: `${operation} (looking up category ${key}:${value})`,
    query: { $filter: `key eq ${odataString(key)} and value eq ${odataString(value)}`, $limit: 1 },
  });
  const found = Array.isArray(reply.data) ? reply.data.find(isObject) : undefined;
  if (!found || typeof found.extId !== 'string') throw taskFailed(`\`${property}\`: Prism Central has no category ${key}:${value}`, { retryable: false });
  return found.extId;
}

/** `categories/any(…)` conditions for every `key: value` given (all must hold); throws naming a missing one. */
export async function categoryCondition(client: PrismClient, wanted: Record<string, string>): Promise<string | undefined> {
  const conditions: string[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    const extId = await lookupCategory(client, key, value, 'ListVms', 'categories');
    conditions.push(`categories/any(c: c/extId eq ${odataString(extId)})`);
  }
  return conditions.length > 0 ? conditions.join(' and ') : undefined;
}

const PAGE = 100;

/** Every category, extId → {key, value} (paged; Prism answers at most 100 a page). */
export async function categoryIndex(client: PrismClient): Promise<Map<string, { key: string; value: string }>> {
  const index = new Map<string, { key: string; value: string }>();
  for (let page = 0; ; page += 1) {
    const reply = await client.call({ method: 'GET', path: client.path('prism', 'config/categories'), operation: 'ListCategories', query: { $page: page, $limit: PAGE } });
    const rows = (Array.isArray(reply.data) ? reply.data : []).filter(isObject);
    for (const row of rows) {
      if (typeof row.extId === 'string' && typeof row.key === 'string' && typeof row.value === 'string') index.set(row.extId, { key: row.key, value: row.value });
    }
    if (rows.length < PAGE) return index;
  }
}

/** Adds `categoryNames` (`{Department: Finance}`) to a shaped VM; unknown extIds are skipped. */
export function withCategoryNames(vm: Json, index: Map<string, { key: string; value: string }>): Json {
  const names: Record<string, string> = {};
  for (const reference of Array.isArray(vm.categories) ? vm.categories : []) {
    const category = isObject(reference) && typeof reference.extId === 'string' ? index.get(reference.extId) : undefined;
    if (category) names[category.key] = category.value;
  }
  return { ...vm, categoryNames: names };
}

/** A filter combined with the category condition (both must hold). */
export function combineFilters(filter: string | undefined, condition: string | undefined): string | undefined {
  if (filter && condition) return `(${filter}) and ${condition}`;
  return filter ?? condition;
}
