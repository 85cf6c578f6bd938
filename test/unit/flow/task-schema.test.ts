import { describe, expect, it } from 'vitest';
import { taskSchema } from '../../../src/flow/task-schema.js';

/** The properties every task has (Kestra's AbstractTask), on a Log task. */
const log = (extra: Record<string, unknown>) => ({ id: 'say', type: 'io.kestra.plugin.core.log.Log', message: 'hi', ...extra });

/** Issue messages; a union reports the message of each alternative (as the loader shows the first that applies). */
const messages = (value: unknown) => {
  const result = taskSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const inner = issue.code === 'invalid_union' ? issue.errors.flat().map((sub) => sub.message) : [issue.message];
    return inner.map((message) => `${issue.path.join('.')}: ${message}`);
  });
};

describe('common task properties', () => {
  const valid: [string, Record<string, unknown>][] = [
    ['description', { description: 'Says hi' }],
    ['disabled', { disabled: true }],
    ['runIf expression', { runIf: "{{ inputs.env == 'prod' }}" }],
    ['runIf boolean', { runIf: false }],
    ['allowFailure', { allowFailure: true }],
    ['allowFailure templated', { allowFailure: '{{ inputs.lenient }}' }],
    ['timeout', { timeout: 'PT30M' }],
    ['timeout templated', { timeout: '{{ inputs.timeout }}' }],
    ['constant retry', { retry: { type: 'constant', interval: 'PT10S', maxAttempts: 3, warningOnRetry: true } }],
    ['exponential retry', { retry: { type: 'exponential', interval: 'PT1S', maxInterval: 'PT1M', delayFactor: 2, maxDuration: 'PT10M' } }],
    ['random retry', { retry: { type: 'random', minInterval: 'PT1S', maxInterval: 'PT5S', maxAttempt: 4 } }],
    ['retry attempts templated', { retry: { type: 'constant', interval: 'PT1S', maxAttempts: '{{ inputs.n }}' } }],
    ['assets', { assets: { inputs: [{ id: '{{ inputs.vm }}' }], outputs: [{ id: 'cert-1', type: 'io.kestra.plugin.ee.assets.VM.Certificate', metadata: { issuer: 'LE' } }] } }],
    ['logLevel', { logLevel: 'DEBUG' }],
    ['workerGroup', { workerGroup: { key: 'dmz' } }],
  ];
  it.each(valid)('accepts %s', (_name, extra) => expect(messages(log(extra))).toEqual([]));

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an id with spaces', { id: 'say hi' }, 'id: task ids start with a letter or digit'],
    ['a timeout that is not a duration', { timeout: '30 minutes' }, 'timeout: expected an ISO-8601 duration such as PT5M or P1D'],
    ['a constant retry without interval', { retry: { type: 'constant', maxAttempts: 2 } }, 'retry.interval: a constant retry needs `interval`'],
    ['an exponential retry without maxInterval', { retry: { type: 'exponential', interval: 'PT1S' } }, 'retry.maxInterval: a exponential retry needs `maxInterval`'],
    ['a random retry without minInterval', { retry: { type: 'random', maxInterval: 'PT1S' } }, 'retry.minInterval: a random retry needs `minInterval`'],
    ['both attempt names', { retry: { type: 'constant', interval: 'PT1S', maxAttempts: 2, maxAttempt: 2 } }, 'retry.maxAttempt: give either maxAttempts or maxAttempt'],
    ['zero attempts', { retry: { type: 'constant', interval: 'PT1S', maxAttempts: 0 } }, 'retry.maxAttempts: Too small: expected number to be >=1'],
    ['an unknown retry type', { retry: { type: 'linear', interval: 'PT1S' } }, 'retry.type: expected one of constant, exponential, random, or a {{ expression }}'],
    ['allowFailure as text', { allowFailure: 'sometimes' }, 'allowFailure: expected true or false, or a {{ expression }}'],
    ['disabled as a template', { disabled: '{{ true }}' }, 'disabled: Invalid input'],
    ['an asset output without id', { assets: { outputs: [{ type: 'VM' }] } }, 'assets.outputs.0.id: Invalid input'],
    ['a misspelt common property', { alowFailure: true }, 'alowFailure: unknown property `alowFailure` for io.kestra.plugin.core.log.Log; did you mean `allowFailure`?'],
  ];
  it.each(invalid)('refuses %s', (_name, extra, expected) => {
    expect(messages(log(extra)).some((message) => message.startsWith(expected))).toBe(true);
  });

  it('requires id and type on every task, nested ones included', () => {
    expect(messages({ type: 'io.kestra.plugin.core.log.Log', message: 'x' })).toEqual(['id: every task needs an `id`']);
    const nested = { id: 'seq', type: 'io.kestra.plugin.core.flow.Sequential', tasks: [{ id: 'inner', message: 'x' }] };
    expect(messages(nested)).toEqual(['tasks.0.type: every task needs a `type`']);
  });
});
