import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { entityResponse, errors, listResponse, model } from './envelope.js';
import { applyListQuery, parseListQuery } from './odata/query.js';
import { type Route, type SimContext, type SimRequest, checkIfMatch, notFound, parseBody } from './router.js';
import { TASK_FIELDS, isTerminal, taskWire } from './tasks.js';
import type { Category, Cluster } from './types.js';

/**
 * Prism tasks and categories (`/api/prism/v4.x/config/…`) and the cluster list
 * (`/api/clustermgmt/v4.x/config/clusters`). Categories are synchronous: create answers 201
 * with the category, delete 204 (both [U] in the reference, our choice).
 */

const P = 'prism.v4.config';
const C = 'clustermgmt.v4.config';
const CATEGORY_FIELDS: ReadonlySet<string> = new Set(['extId', 'key', 'value', 'type', 'description', 'ownerUuid', 'associations']);
const CLUSTER_FIELDS: ReadonlySet<string> = new Set(['extId', 'name']);

const categoryBody = z.object({
  key: z.string({ message: 'is required' }).min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  value: z.string({ message: 'is required' }).min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  description: z.string().max(1000).optional(),
  type: z.enum(['USER']).optional(),
}).loose();

function categoryEtag(category: Category): string {
  return createHash('sha256').update(JSON.stringify(category)).digest('base64url').slice(0, 16);
}

export function clusterWire(cluster: Cluster): Record<string, unknown> {
  return model(`${C}.Cluster`, { ...cluster, config: model(`${C}.ClusterConfigReference`, { clusterFunction: ['AOS'] }) });
}

export function prismRoutes(ctx: SimContext): Route[] {
  const findTask = (request: SimRequest) => {
    const record = ctx.store.task(request.params.extId!);
    if (!record) throw notFound('prism', 'task', request.params.extId!);
    return record;
  };
  const findCategory = (request: SimRequest) => {
    const category = ctx.store.category(request.params.extId!);
    if (!category) throw notFound('prism', 'category', request.params.extId!);
    return category;
  };
  const categoryWire = (category: Category, request: SimRequest) => {
    const expand = request.url.searchParams.get('$expand') ?? '';
    const count = ctx.store.data.vms.filter((record) => record.vm.categories.some((ref) => ref.extId === category.extId)).length;
    const associations = /associations/i.test(expand) ? { associations: count ? [{ categoryId: category.extId, count, resourceType: 'VM', resourceGroup: 'ENTITY' }] : [] } : {};
    return model(`${P}.Category`, { ...category, ...associations });
  };
  const findCluster = (request: SimRequest) => {
    const cluster = ctx.store.cluster(request.params.extId!);
    if (!cluster) throw notFound('clustermgmt', 'cluster', request.params.extId!);
    return cluster;
  };

  return [
    {
      method: 'GET', path: '/api/prism/{v}/config/tasks', namespace: 'prism', operation: 'ListTasks', responseType: `${P}.ListTasksApiResponse`,
      handle: (request) => {
        const query = parseListQuery(request.url.searchParams, TASK_FIELDS);
        const items = ctx.store.data.tasks.map((record) => taskWire(ctx.tasks.view(record)));
        return { status: 200, body: listResponse(`${P}.ListTasksApiResponse`, applyListQuery(items, query), request.url) };
      },
    },
    {
      method: 'GET', path: '/api/prism/{v}/config/tasks/:extId', namespace: 'prism', operation: 'GetTask', responseType: `${P}.GetTaskApiResponse`,
      handle: (request) => ({ status: 200, body: entityResponse(`${P}.GetTaskApiResponse`, taskWire(ctx.tasks.view(findTask(request))), request.url.href) }),
    },
    {
      method: 'POST', path: '/api/prism/{v}/config/tasks/:extId/$actions/cancel', namespace: 'prism', operation: 'CancelTask', responseType: `${P}.CancelTaskApiResponse`,
      handle: (request) => {
        const record = findTask(request);
        if (isTerminal(record.task)) throw errors.conflict('PRISM', `Task ${record.task.extId} has already ended (${record.task.status}) and cannot be canceled.`);
        ctx.tasks.cancel(record);
        const message = model('prism.v4.error.AppMessage', { code: 'PRISM-10200', message: `Task ${record.task.extId} canceled.`, severity: 'INFO', locale: 'en_US' });
        return { status: 202, body: entityResponse(`${P}.CancelTaskApiResponse`, message) };
      },
    },
    {
      method: 'GET', path: '/api/prism/{v}/config/categories', namespace: 'prism', operation: 'ListCategories', responseType: `${P}.ListCategoriesApiResponse`,
      handle: (request) => {
        const query = parseListQuery(request.url.searchParams, CATEGORY_FIELDS);
        const items = ctx.store.data.categories.map((category) => categoryWire(category, request));
        return { status: 200, body: listResponse(`${P}.ListCategoriesApiResponse`, applyListQuery(items, query), request.url) };
      },
    },
    {
      method: 'GET', path: '/api/prism/{v}/config/categories/:extId', namespace: 'prism', operation: 'GetCategory', responseType: `${P}.GetCategoryApiResponse`,
      handle: (request) => {
        const category = findCategory(request);
        return { status: 200, body: entityResponse(`${P}.GetCategoryApiResponse`, categoryWire(category, request), request.url.href), headers: { ETag: categoryEtag(category) } };
      },
    },
    {
      method: 'POST', path: '/api/prism/{v}/config/categories', namespace: 'prism', operation: 'CreateCategory', responseType: `${P}.CreateCategoryApiResponse`,
      handle: (request) => {
        const body = parseBody(categoryBody, request.body, 'prism');
        if (ctx.store.data.categories.some((category) => category.key === body.key && category.value === body.value)) {
          throw errors.conflict('PRISM', `Category ${body.key}:${body.value} already exists.`);
        }
        const category: Category = { extId: randomUUID(), key: body.key, value: body.value, type: 'USER', description: body.description ?? '' };
        ctx.store.data.categories.push(category);
        return { status: 201, body: entityResponse(`${P}.CreateCategoryApiResponse`, categoryWire(category, request)) };
      },
    },
    {
      method: 'DELETE', path: '/api/prism/{v}/config/categories/:extId', namespace: 'prism', operation: 'DeleteCategory', responseType: `${P}.DeleteCategoryApiResponse`,
      handle: (request) => {
        const category = findCategory(request);
        checkIfMatch(request, categoryEtag(category), false);
        const users = ctx.store.data.vms.filter((record) => record.vm.categories.some((ref) => ref.extId === category.extId));
        if (users.length) {
          throw errors.conflict('PRISM', `Category ${category.key}:${category.value} is associated with VM(s) ${users.map((record) => record.vm.name).join(', ')}; disassociate it first.`);
        }
        ctx.store.data.categories = ctx.store.data.categories.filter((candidate) => candidate !== category);
        return { status: 204 };
      },
    },
    {
      method: 'GET', path: '/api/clustermgmt/{v}/config/clusters', namespace: 'clustermgmt', operation: 'ListClusters', responseType: `${C}.ListClustersApiResponse`,
      handle: (request) => {
        const query = parseListQuery(request.url.searchParams, CLUSTER_FIELDS);
        return { status: 200, body: listResponse(`${C}.ListClustersApiResponse`, applyListQuery(ctx.store.data.clusters.map(clusterWire), query), request.url) };
      },
    },
    {
      method: 'GET', path: '/api/clustermgmt/{v}/config/clusters/:extId', namespace: 'clustermgmt', operation: 'GetCluster', responseType: `${C}.GetClusterApiResponse`,
      handle: (request) => ({ status: 200, body: entityResponse(`${C}.GetClusterApiResponse`, clusterWire(findCluster(request)), request.url.href) }),
    },
  ];
}
