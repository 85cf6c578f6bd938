import { describe, expect, it } from 'vitest';
import { FaultBook, parseFaultSpec, validateFaultSpec } from '../../../src/sim/faults.js';

describe('parseFaultSpec', () => {
  it.each([
    ['bad-patch=prod-web-01', { kind: 'bad-patch', vm: 'prod-web-01' }],
    ['fail-task=CreateVm', { kind: 'fail-task', operation: 'CreateVm' }],
    ['fail-task=RevertVm:2', { kind: 'fail-task', operation: 'RevertVm', count: 2 }],
    ['slow-task=CreateRecoveryPoint:3000', { kind: 'slow-task', operation: 'CreateRecoveryPoint', ms: 3000 }],
    ['fail-call=GetTask:500:3', { kind: 'fail-call', operation: 'GetTask', status: 500, count: 3 }],
    ['fail-call=*', { kind: 'fail-call', operation: '*' }],
    ['delay-call=ListVms:250', { kind: 'delay-call', operation: 'ListVms', ms: 250 }],
    ['drop-response=CreateVm', { kind: 'drop-response', operation: 'CreateVm' }],
  ])('%s', (text, spec) => {
    expect(parseFaultSpec(text)).toEqual(spec);
  });

  it.each([
    ['explode=CreateVm', /unknown kind 'explode'/],
    ['fail-task', /missing target; use fail-task=<operation>\[:<count>\]/],
    ['fail-task=MakeCoffee', /operation must be '\*' or an async operation: CreateVm/],
    ['fail-task=ListVms', /operation must be '\*' or an async operation/],
    ['slow-task=CreateVm', /missing milliseconds; use slow-task=<operation>:<ms>/],
    ['slow-task=CreateVm:soon', /ms must be a whole number, got 'soon'/],
    ['fail-call=GetVm:200', /status/],
    ['fail-task=CreateVm:1:2', /too many ':' parts/],
    ['fail-task=CreateVm:0', /count/],
  ])('rejects %s', (text, pattern) => {
    expect(() => parseFaultSpec(text)).toThrow(pattern);
  });
});

describe('validateFaultSpec', () => {
  it('names the offending field of a JSON fault', () => {
    expect(() => validateFaultSpec({ kind: 'fail-call', operation: 'GetVm', status: 'bad' })).toThrow(/status/);
    expect(() => validateFaultSpec({ kind: 'nope' })).toThrow(/kind must be one of fail-call/);
    expect(() => validateFaultSpec({ kind: 'bad-patch', vm: 'x', extra: 1 })).toThrow();
  });
});

describe('FaultBook', () => {
  it('applies a counted call fault that many times, then forgets it', () => {
    const book = new FaultBook(() => undefined);
    book.inject({ kind: 'fail-call', operation: 'GetVm', status: 502, count: 2 });
    expect(book.forCall('ListVms').fail).toBeUndefined();
    expect(book.forCall('GetVm').fail?.status).toBe(502);
    expect(book.list()).toEqual([{ kind: 'fail-call', operation: 'GetVm', status: 502, count: 1 }]);
    expect(book.forCall('GetVm').fail?.status).toBe(502);
    expect(book.forCall('GetVm').fail).toBeUndefined();
    expect(book.list()).toEqual([]);
  });

  it('keeps slow-task without a count until cleared; fail-task defaults to one task', () => {
    const book = new FaultBook(() => undefined);
    book.inject(parseFaultSpec('slow-task=*:50'));
    book.inject(parseFaultSpec('fail-task=CreateVm'));
    expect(book.forTask('CreateVm')).toEqual({ durationMs: 50, fail: {} });
    expect(book.forTask('CreateVm')).toEqual({ durationMs: 50 });
    book.clear();
    expect(book.forTask('CreateVm')).toEqual({});
  });

  it('forwards bad-patch to the guests when armed and when cleared', () => {
    const calls: [string, boolean][] = [];
    const book = new FaultBook((vm, on) => calls.push([vm, on]));
    book.inject(parseFaultSpec('bad-patch=prod-web-01'));
    expect(book.list()).toEqual([{ kind: 'bad-patch', vm: 'prod-web-01' }]);
    book.clear();
    expect(calls).toEqual([['prod-web-01', true], ['prod-web-01', false]]);
  });

  it('combines delay, failure and drop on one call', () => {
    const book = new FaultBook(() => undefined);
    book.inject(parseFaultSpec('delay-call=CreateVm:5'));
    book.inject(parseFaultSpec('drop-response=CreateVm'));
    expect(book.forCall('CreateVm')).toEqual({ delayMs: 5, drop: true });
    expect(book.forCall('CreateVm')).toEqual({ delayMs: 0, drop: false });
  });
});
