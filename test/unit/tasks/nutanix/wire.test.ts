import { describe, expect, it } from 'vitest';
import { affectedEntity, completionDetail, parseEnvelope, prismErrors, refusal, taskFailure } from '../../../../src/tasks/nutanix/envelope.js';
import { prismRequestId } from '../../../../src/tasks/nutanix/request-id.js';
import { segment } from '../../../../src/tasks/nutanix/client.js';

describe('NTNX-Request-Id derivation', () => {
  it('is a UUID v5 that depends only on the idempotency key and the purpose', () => {
    const id = prismRequestId('exec-1:tr-1:1', 'create-vm');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // A crash-interrupted attempt run again has the same key: it must replay the same id.
    expect(prismRequestId('exec-1:tr-1:1', 'create-vm')).toBe(id);
    expect(prismRequestId('exec-1:tr-1:2', 'create-vm')).not.toBe(id);
    expect(prismRequestId('exec-1:tr-1:1', 'power-on:vm-1')).not.toBe(id);
  });

  it('cannot be confused by moving text between key and purpose', () => {
    expect(prismRequestId('a:b', 'c')).not.toBe(prismRequestId('a', 'b:c'));
  });
});

describe('v4 envelope and errors', () => {
  const vmmError = JSON.stringify({
    data: {
      $objectType: 'vmm.v4.error.ErrorResponse',
      error: [{ $objectType: 'vmm.v4.error.AppMessage', code: 'VMM-20005', message: 'Failed to perform the operation as the backend service could not find the entity.', severity: 'ERROR' }],
    },
    $objectType: 'vmm.v4.ahv.config.GetVmApiResponse',
  });

  it('reads data and metadata, and nothing from a body that is not JSON', () => {
    expect(parseEnvelope('{"data":[1],"metadata":{"totalAvailableResults":3}}')).toEqual({ data: [1], metadata: { totalAvailableResults: 3 } });
    expect(parseEnvelope('<html>502 Bad Gateway</html>')).toBeUndefined();
    expect(parseEnvelope('')).toBeUndefined();
  });

  it('maps an AppMessage list to "Prism Central refused <op>" with code and message, not retryable for 4xx', () => {
    const error = refusal('CreateVm', 404, vmmError);
    expect(error.message).toBe('Prism Central refused CreateVm (HTTP 404): VMM-20005 Failed to perform the operation as the backend service could not find the entity.');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ status: 404, prismCode: 'VMM-20005' });
  });

  it('retries 5xx, 429 and 408 but not 400, 401, 412', () => {
    expect([500, 503, 429, 408].map((status) => refusal('GetVm', status, '').retryable)).toEqual([true, true, true, true]);
    expect([400, 401, 403, 412].map((status) => refusal('GetVm', status, '').retryable)).toEqual([false, false, false, false]);
  });

  it('explains 401 and 412 beyond the status code', () => {
    expect(refusal('ListVms', 401, '').message).toContain('authentication failed: check `token`');
    const stale = refusal('UpdateVm', 412, JSON.stringify({ data: { error: [{ code: 'PLAT-10005', message: 'Invalid eTag header' }] } }));
    expect(stale.message).toBe('Prism Central refused UpdateVm (HTTP 412): PLAT-10005 Invalid eTag header — the entity changed since it was read (stale ETag in If-Match)');
  });

  it('reads a SchemaValidationError, one line per attribute', () => {
    const body = JSON.stringify({
      data: { error: { error: 'Bad Request', statusCode: 400, validationErrorMessages: [{ attributePath: 'name', message: 'must not be null' }] } },
    });
    expect(prismErrors(parseEnvelope(body))).toEqual([{ message: 'Bad Request' }, { message: 'name: must not be null' }]);
  });

  it('quotes a short excerpt of a non-JSON error body', () => {
    const error = refusal('GetVm', 502, `<html>${'x'.repeat(400)}</html>`);
    expect(error.message.startsWith('Prism Central refused GetVm (HTTP 502): <html>xxx')).toBe(true);
    expect(error.message.endsWith('…')).toBe(true);
  });
});

describe('finished Prism tasks', () => {
  const failed = {
    extId: 'ZXJnb24=:1',
    status: 'FAILED',
    errorMessages: [{ code: 'VMM-30500', message: 'Create VM failed (injected fault fail-task=CreateVm)' }],
    legacyErrorMessage: 'Create VM failed (injected fault fail-task=CreateVm)',
  };

  it('surfaces the error code and message of a FAILED task, once, without a retry', () => {
    const error = taskFailure('CreateVm', failed);
    expect(error.message).toBe('Prism Central task ZXJnb24=:1 for CreateVm ended FAILED: VMM-30500 Create VM failed (injected fault fail-task=CreateVm)');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ taskExtId: 'ZXJnb24=:1', prismCode: 'VMM-30500' });
  });

  it('says so when a CANCELED task gives no reason', () => {
    expect(taskFailure('DeleteVm', { extId: 't', status: 'CANCELED' }).message).toBe('Prism Central task t for DeleteVm ended CANCELED: no error message given');
  });

  it('finds affected entities by rel and completion details by name', () => {
    const task = {
      entitiesAffected: [{ extId: 'cluster-1', rel: 'clustermgmt:config:cluster' }, { extId: 'vm-1', rel: 'vmm:ahv:config:vm' }],
      completionDetails: [{ name: 'recoveryPointExtId', value: 'rp-9' }],
    };
    expect(affectedEntity(task, 'vmm:ahv:config:vm')).toBe('vm-1');
    expect(affectedEntity(task, 'dataprotection:config:recovery-point')).toBeUndefined();
    expect(completionDetail(task, 'recoveryPointExtId')).toBe('rp-9');
    expect(completionDetail({}, 'recoveryPointExtId')).toBeUndefined();
  });

  it('keeps the ":" and "=" of task extIds in URL paths', () => {
    expect(segment('ZXJnb24=:3cade39c-6199')).toBe('ZXJnb24=:3cade39c-6199');
    expect(segment('a/b c')).toBe('a%2Fb%20c');
  });
});
