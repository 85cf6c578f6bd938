/**
 * The Prism Central v4 response envelope (reference/apis.md A.0): every body is
 * `{data, metadata, $objectType, $reserved}`, every model object carries `$objectType` and
 * `$reserved`, async mutations answer a TaskReference, errors an ErrorResponse holding AppMessages.
 * Pure functions, unit-tested; the HTTP layer only serialises what they return.
 */

export type Namespace = 'vmm' | 'prism' | 'dataprotection' | 'clustermgmt';

/** The `$fv` stamp seen on real responses (meaning undocumented; copied verbatim). */
export const RESERVED = Object.freeze({ $fv: 'v4.r0' });

export type Json = Record<string, unknown>;

/** A model object as the SDKs expect it: `$objectType` and `$reserved` first. */
export function model(objectType: string, fields: object): Json {
  return { $objectType: objectType, $reserved: RESERVED, ...fields };
}

/** An error the API answers with: HTTP status plus one Prism AppMessage. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errorGroup?: string,
    readonly argumentsMap?: Record<string, string>,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export function appMessage(namespace: Namespace, error: Pick<SimError, 'code' | 'message' | 'errorGroup' | 'argumentsMap'>): Json {
  return model(`${namespace}.v4.error.AppMessage`, {
    code: error.code,
    ...(error.errorGroup ? { errorGroup: error.errorGroup } : {}),
    message: error.message,
    severity: 'ERROR',
    locale: 'en_US',
    argumentsMap: error.argumentsMap ?? {},
  });
}

export interface Link {
  href: string;
  rel: string;
}

export function metadata(options: { hasError?: boolean; paginated?: boolean; links?: Link[]; total?: number } = {}): Json {
  const flag = (name: string, value: boolean) => model('common.v1.config.Flag', { name, value });
  return model('common.v1.response.ApiResponseMetadata', {
    flags: [flag('hasError', options.hasError ?? false), flag('isPaginated', options.paginated ?? false), flag('isTruncated', false)],
    links: (options.links ?? []).map((link) => model('common.v1.response.ApiLink', link)),
    ...(options.total === undefined ? {} : { totalAvailableResults: options.total }),
  });
}

/** `{data: entity}` for a GET of one entity or a synchronous create. */
export function entityResponse(responseType: string, data: unknown, selfHref?: string): Json {
  return {
    data,
    $reserved: RESERVED,
    $objectType: responseType,
    metadata: metadata({ links: selfHref ? [{ href: selfHref, rel: 'self' }] : [] }),
  };
}

export interface ListPage {
  items: unknown[];
  total: number;
  page: number;
  limit: number;
}

/**
 * A paginated list. Links: first/self/last always, prev/next when those pages exist; the
 * other query parameters ($filter, $orderby…) are kept so following a link gives the next
 * page of the same query.
 */
export function listResponse(responseType: string, page: ListPage, url: URL): Json {
  const lastPage = Math.max(0, Math.ceil(page.total / page.limit) - 1);
  const href = (pageNumber: number): string => {
    const next = new URL(url.href);
    next.searchParams.set('$page', String(pageNumber));
    next.searchParams.set('$limit', String(page.limit));
    return next.href;
  };
  const links: Link[] = [
    { href: href(0), rel: 'first' },
    { href: href(page.page), rel: 'self' },
    { href: href(lastPage), rel: 'last' },
  ];
  if (page.page > 0) links.push({ href: href(Math.min(page.page - 1, lastPage)), rel: 'prev' });
  if (page.page < lastPage) links.push({ href: href(page.page + 1), rel: 'next' });
  return {
    // An empty page has `data` absent on real responses; an empty array is what clients handle best.
    data: page.items,
    $reserved: RESERVED,
    $objectType: responseType,
    metadata: metadata({ paginated: true, links, total: page.total }),
  };
}

export function taskReference(extId: string): Json {
  return model('prism.v4.config.TaskReference', { extId });
}

/** 202 body of an async mutation. */
export function taskResponse(responseType: string, taskExtId: string): Json {
  return { data: taskReference(taskExtId), $reserved: RESERVED, $objectType: responseType, metadata: metadata() };
}

export function errorResponse(namespace: Namespace, error: SimError, responseType?: string): Json {
  return {
    data: model(`${namespace}.v4.error.ErrorResponse`, { error: [appMessage(namespace, error)] }),
    $reserved: RESERVED,
    $objectType: responseType ?? `${namespace}.v4.error.ErrorResponse`,
    metadata: metadata({ hasError: true }),
  };
}

/** Errors used across resources. Codes marked [U] in README.md are our guesses. */
export const errors = {
  notFound: (prefix: string, what: string, extId: string) =>
    new SimError(404, `${prefix}-20005`, `Failed to perform the operation as the backend service could not find the entity: ${what} ${extId}.`, 'ENTITY_NOT_FOUND', { extId }),
  invalid: (prefix: string, field: string, problem: string) =>
    new SimError(400, `${prefix}-30100`, `${field}: ${problem}`, 'SCHEMA_VALIDATION', { field }),
  missingEtag: () => new SimError(428, 'PLAT-10004', 'Missing eTag header: send the ETag of the last GET in If-Match.', 'MISSING_ETAG_HEADER'),
  staleEtag: () => new SimError(412, 'PLAT-10005', 'Invalid eTag header', 'INVALID_ETAG_HEADER'),
  missingRequestId: (prefix: string) =>
    new SimError(400, `${prefix}-30400`, 'The NTNX-Request-Id header is required on this request.', prefix === 'VMM' ? 'VM_MISSING_REQUEST_ID_HEADER' : 'MISSING_REQUEST_ID_HEADER'),
  unauthorized: () => new SimError(401, 'PLAT-10401', 'Authentication required: send X-ntnx-api-key or HTTP Basic credentials.', 'UNAUTHORIZED'),
  conflict: (prefix: string, message: string) => new SimError(409, `${prefix}-30409`, message, 'CONFLICT'),
} as const;
