import { describe, expect, it } from 'vitest';
import { RESERVED, SimError, entityResponse, errorResponse, errors, listResponse, taskResponse } from '../../../src/sim/envelope.js';

const flag = (body: any, name: string) => body.metadata.flags.find((item: { name: string }) => item.name === name)?.value;
const link = (body: any, rel: string) => body.metadata.links.find((item: { rel: string }) => item.rel === rel)?.href as string | undefined;

describe('list envelope', () => {
  const url = new URL("https://pc:9440/api/vmm/v4.0/ahv/config/vms?$filter=name eq 'a'&$page=1&$limit=2");

  it('carries data, totals, flags and the response type', () => {
    const body: any = listResponse('vmm.v4.ahv.config.ListVmsApiResponse', { items: [{ extId: 'x' }], total: 5, page: 1, limit: 2 }, url);
    expect(body).toMatchObject({ data: [{ extId: 'x' }], $objectType: 'vmm.v4.ahv.config.ListVmsApiResponse', $reserved: RESERVED });
    expect(body.metadata).toMatchObject({ $objectType: 'common.v1.response.ApiResponseMetadata', totalAvailableResults: 5 });
    expect(flag(body, 'hasError')).toBe(false);
    expect(flag(body, 'isPaginated')).toBe(true);
    expect(flag(body, 'isTruncated')).toBe(false);
  });

  it('links first/self/last and prev/next in the middle, keeping the other query options', () => {
    const body: any = listResponse('T', { items: [], total: 5, page: 1, limit: 2 }, url);
    const next = new URL(link(body, 'next')!);
    expect(next.searchParams.get('$page')).toBe('2');
    expect(next.searchParams.get('$limit')).toBe('2');
    expect(next.searchParams.get('$filter')).toBe("name eq 'a'");
    expect(new URL(link(body, 'prev')!).searchParams.get('$page')).toBe('0');
    expect(new URL(link(body, 'last')!).searchParams.get('$page')).toBe('2');
    expect(new URL(link(body, 'first')!).searchParams.get('$page')).toBe('0');
    expect(new URL(link(body, 'self')!).searchParams.get('$page')).toBe('1');
  });

  it('has no prev on the first page and no next on the last; an empty list has one page', () => {
    const first: any = listResponse('T', { items: [], total: 3, page: 0, limit: 2 }, url);
    expect(link(first, 'prev')).toBeUndefined();
    expect(link(first, 'next')).toBeDefined();
    const last: any = listResponse('T', { items: [], total: 3, page: 1, limit: 2 }, url);
    expect(link(last, 'next')).toBeUndefined();
    const empty: any = listResponse('T', { items: [], total: 0, page: 0, limit: 50 }, url);
    expect(empty.data).toEqual([]);
    expect(new URL(link(empty, 'last')!).searchParams.get('$page')).toBe('0');
    expect(link(empty, 'next')).toBeUndefined();
  });
});

describe('entity, task and error envelopes', () => {
  it('wraps one entity', () => {
    const body: any = entityResponse('vmm.v4.ahv.config.GetVmApiResponse', { extId: 'v' }, 'https://pc/x');
    expect(body).toMatchObject({ data: { extId: 'v' }, $objectType: 'vmm.v4.ahv.config.GetVmApiResponse' });
    expect(flag(body, 'isPaginated')).toBe(false);
    expect(link(body, 'self')).toBe('https://pc/x');
  });

  it('answers a TaskReference for async mutations', () => {
    expect(taskResponse('vmm.v4.ahv.config.CreateVmApiResponse', 'ZXJnb24=:u')).toMatchObject({
      data: { $objectType: 'prism.v4.config.TaskReference', $reserved: RESERVED, extId: 'ZXJnb24=:u' },
      $objectType: 'vmm.v4.ahv.config.CreateVmApiResponse',
    });
  });

  it('puts errors in data.error as namespace AppMessages with hasError set', () => {
    const body: any = errorResponse('vmm', errors.notFound('VMM', 'VM', 'abc'));
    expect(body.data.$objectType).toBe('vmm.v4.error.ErrorResponse');
    expect(body.data.error).toEqual([
      expect.objectContaining({
        $objectType: 'vmm.v4.error.AppMessage',
        code: 'VMM-20005',
        errorGroup: 'ENTITY_NOT_FOUND',
        severity: 'ERROR',
        locale: 'en_US',
        argumentsMap: { extId: 'abc' },
        message: expect.stringContaining('abc'),
      }),
    ]);
    expect(flag(body, 'hasError')).toBe(true);
  });

  it('uses the documented codes for ETag and request-id problems', () => {
    expect(errors.staleEtag()).toMatchObject({ status: 412, code: 'PLAT-10005', message: 'Invalid eTag header' });
    expect(errors.missingEtag()).toMatchObject({ status: 428, code: 'PLAT-10004', errorGroup: 'MISSING_ETAG_HEADER' });
    expect(errors.missingRequestId('VMM')).toMatchObject({ status: 400, code: 'VMM-30400', errorGroup: 'VM_MISSING_REQUEST_ID_HEADER' });
    expect(errors.invalid('DTP', 'vmRecoveryPoints[0].vmExtId', 'is required')).toMatchObject({ status: 400, message: 'vmRecoveryPoints[0].vmExtId: is required' });
  });

  it('omits an empty errorGroup', () => {
    const body: any = errorResponse('prism', new SimError(500, 'X-1', 'boom'));
    expect(body.data.error[0]).not.toHaveProperty('errorGroup');
  });
});
