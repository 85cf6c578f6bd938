import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Assert } from '../../../../src/tasks/core/Assert.js';
import { Echo } from '../../../../src/tasks/core/Echo.js';
import { Fail } from '../../../../src/tasks/core/Fail.js';
import { Log } from '../../../../src/tasks/core/Log.js';
import { OutputValues } from '../../../../src/tasks/core/OutputValues.js';
import { Return } from '../../../../src/tasks/core/Return.js';
import { type TestRun, createTestRun, rejection } from '../../../support/task-context.js';

let t: TestRun;
beforeEach(async () => {
  t = await createTestRun();
});
afterEach(() => t.cleanup());

/** The error a run rejected with, checked to be a task failure. */
async function failure(promise: Promise<unknown>) {
  const error = await rejection(promise);
  expect(error.code).toBe('TASK_FAILED');
  return error;
}

describe('Log', () => {
  it('logs one message at INFO by default and has no outputs', async () => {
    const result = await t.run(Log, { message: 'Patching prod-web-01' });
    expect(t.lines).toEqual([{ level: 'info', message: 'Patching prod-web-01' }]);
    expect(result.outputs ?? {}).toEqual({});
  });

  it('logs each message of a list at the chosen level', async () => {
    await t.run(Log, { message: ['one', 'two'], level: 'WARN' });
    expect(t.lines).toEqual([{ level: 'warn', message: 'one' }, { level: 'warn', message: 'two' }]);
  });

  it.each([['TRACE', 'trace'], ['DEBUG', 'debug'], ['INFO', 'info'], ['WARN', 'warn'], ['ERROR', 'error']] as const)(
    'maps level %s to the logger',
    async (level, method) => {
      await t.run(Log, { message: 'x', level });
      expect(t.lines).toEqual([{ level: method, message: 'x' }]);
    },
  );
});

describe('Return', () => {
  it('outputs the rendered format as value and logs it at DEBUG', async () => {
    const result = await t.run(Return, { format: 'Bearer abc' });
    expect(result.outputs).toEqual({ value: 'Bearer abc' });
    expect(t.messages('debug')).toEqual(['Bearer abc']);
  });

  it('leaves value out when there is no format', async () => {
    expect((await t.run(Return, {})).outputs).toEqual({});
  });
});

describe('Echo', () => {
  it('logs format at INFO by default, at the given level otherwise', async () => {
    await t.run(Echo, { format: 'first' });
    await t.run(Echo, { format: 'second', level: 'ERROR' });
    expect(t.lines).toEqual([{ level: 'info', message: 'first' }, { level: 'error', message: 'second' }]);
  });
});

describe('OutputValues', () => {
  it('outputs the values unchanged, nested ones included', async () => {
    const values = { vm: 'prod-web-01', count: 3, nested: { ips: ['10.0.0.5'] } };
    expect((await t.run(OutputValues, { values })).outputs).toEqual({ values });
  });
});

describe('Fail', () => {
  it('always fails without a condition, with the default message, not retryable', async () => {
    const error = await failure(t.run(Fail, {}));
    expect(error.message).toBe('Task failure');
    expect(error.retryable).toBe(false);
  });

  it.each(['false', 'FALSE', 'False', '0', '-0', '', '  false  ', false, 0])('does not fail when the condition renders %j', async (condition) => {
    await expect(t.run(Fail, { condition, errorMessage: 'boom' })).resolves.toEqual({});
  });

  it.each(['true', 'yes', '1', 'fail', true, 2])('fails with errorMessage when the condition renders %j', async (condition) => {
    const error = await failure(t.run(Fail, { condition, errorMessage: 'Snapshot missing' }));
    expect(error.message).toBe('Snapshot missing');
    expect(error.retryable).toBe(false);
  });
});

describe('Assert', () => {
  it('passes when every condition is truthy', async () => {
    await expect(t.run(Assert, { conditions: ['true', 'ok', '1'] })).resolves.toEqual({});
    expect(t.lines).toEqual([]);
  });

  it('names each failed condition by position and value, logs them, appends errorMessage', async () => {
    const error = await failure(t.run(Assert, { conditions: ['true', 'false', '0', 'yes'], errorMessage: 'VM is not ready' }));
    expect(error.message).toBe('2 assertions failed (#2 rendered "false", #3 rendered "0")\nVM is not ready');
    expect(error.retryable).toBe(false);
    expect(t.messages('error')).toEqual(['Assertion 2 of 4 failed: it rendered "false"', 'Assertion 3 of 4 failed: it rendered "0"']);
  });

  it('says "assertion" for a single failure', async () => {
    const error = await failure(t.run(Assert, { conditions: [''] }));
    expect(error.message).toBe('1 assertion failed (#1 rendered "")');
  });
});
