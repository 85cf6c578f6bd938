import { describe, expect, it } from 'vitest';
import { Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
/** The same Log task inside a block mapping, four spaces in. */
const BLOCK = 'type: io.kestra.plugin.core.log.Log\n    message: hi';
const FLOW = 'id: retries\nnamespace: company.ops\n';

const retryTimers = (sim: Sim) => sim.of('armTimer').filter((timer) => timer.kind === 'RETRY');

describe('retries', () => {
  it('retries a failed run up to maxAttempts in all, then fails', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: constant, interval: PT30S, maxAttempts: 3}
errors:
  - {id: handler, ${LOG}}
`,
      { flaky: 'FAILED' },
    );
    sim.plan();
    sim.work();
    const run = sim.run('flaky');
    expect(run.state).toBe('RETRYING');
    const [first] = retryTimers(sim);
    expect(first!.dueAt).toBe(new Date(Date.parse(run.attempts[0]!.endedAt!) + 30_000).toISOString());
    expect(sim.has('handler')).toBe(false);
    sim.drive();
    expect(sim.run('flaky').attempts.map((attempt) => attempt.state)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(retryTimers(sim)).toHaveLength(2);
    expect(sim.trace()).toEqual(['flaky:FAILED', 'handler:SUCCESS']);
    expect(sim.state).toBe('FAILED');
  });

  it('goes on once an attempt succeeds, without warning by default', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: constant, interval: PT1S, maxAttempts: 5}
  - {id: next, ${LOG}}
`,
      { flaky: ['FAILED', 'FAILED', 'SUCCESS'] },
    ).drive();
    expect(sim.run('flaky').attempts).toHaveLength(3);
    expect(sim.trace()).toEqual(['flaky:SUCCESS', 'next:SUCCESS']);
    expect(sim.state).toBe('SUCCESS');
  });

  it('ends WARNING with warningOnRetry when an earlier attempt failed', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: constant, interval: PT1S, maxAttempts: 5, warningOnRetry: true}
  - id: steady
    ${BLOCK}
    retry: {type: constant, interval: PT1S, maxAttempts: 5, warningOnRetry: true}
`,
      { flaky: ['FAILED', 'SUCCESS'] },
    ).drive();
    expect(sim.trace()).toEqual(['flaky:WARNING', 'steady:SUCCESS']);
    expect(sim.state).toBe('WARNING');
  });

  it('spaces exponential attempts by interval × 2^(n-1), capped at maxInterval', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: exponential, interval: PT10S, maxInterval: PT25S, maxAttempts: 5}
`,
      { flaky: 'FAILED' },
    ).drive();
    const attempts = sim.run('flaky').attempts;
    const gaps = attempts.slice(1).map((attempt, i) => (Date.parse(attempt.startedAt) - Date.parse(attempts[i]!.endedAt!)) / 1000);
    expect(gaps).toEqual([10, 20, 25, 25]);
    expect(sim.state).toBe('FAILED');
  });

  it('honours delayFactor', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: exponential, interval: PT1S, maxInterval: PT1H, delayFactor: 3, maxAttempts: 4}
`,
      { flaky: 'FAILED' },
    ).drive();
    const attempts = sim.run('flaky').attempts;
    const gaps = attempts.slice(1).map((attempt, i) => (Date.parse(attempt.startedAt) - Date.parse(attempts[i]!.endedAt!)) / 1000);
    expect(gaps).toEqual([1, 3, 9]);
  });

  it('draws random delays within bounds, the same on every replay', () => {
    const yaml = `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: random, minInterval: PT10S, maxInterval: PT20S, maxAttempts: 6}
`;
    const first = new Sim(yaml, { flaky: 'FAILED' }).drive();
    const second = new Sim(yaml, { flaky: 'FAILED' }).drive();
    const due = retryTimers(first).map((timer) => timer.dueAt);
    expect(due).toHaveLength(5);
    expect(retryTimers(second).map((timer) => timer.dueAt)).toEqual(due);
    const attempts = first.run('flaky').attempts;
    const gaps = attempts.slice(1).map((attempt, i) => Date.parse(attempt.startedAt) - Date.parse(attempts[i]!.endedAt!));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(10_000);
      expect(gap).toBeLessThanOrEqual(20_000);
    }
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it('stops retrying once maxDuration would be exceeded', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: constant, interval: PT10S, maxAttempts: 50, maxDuration: PT30S}
`,
      { flaky: 'FAILED' },
    ).drive();
    // attempts start at 0, 11, 22 s (1 s each + 10 s apart); a 4th would start at 33 s > 30 s
    expect(sim.run('flaky').attempts).toHaveLength(3);
    expect(sim.state).toBe('FAILED');
  });

  it('retries 3 attempts in all when maxAttempts is not given', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: constant, interval: PT1S}
`,
      { flaky: 'FAILED' },
    ).drive();
    expect(sim.run('flaky').attempts).toHaveLength(3);
  });

  it('does not retry an attempt that failed with a non-retryable error', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: strict
    ${BLOCK}
    retry: {type: constant, interval: PT1S, maxAttempts: 5}
`,
      { strict: { state: 'FAILED', error: 'host key mismatch', retryable: false } },
    ).drive();
    expect(sim.run('strict').attempts).toHaveLength(1);
    expect(retryTimers(sim)).toHaveLength(0);
    expect(sim.state).toBe('FAILED');
  });

  it('renders templated retry properties', () => {
    const sim = new Sim(
      `${FLOW}
inputs:
  - {id: tries, type: INT}
  - {id: wait, type: STRING}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: constant, interval: "{{ inputs.wait }}", maxAttempts: "{{ inputs.tries }}"}
`,
      { flaky: 'FAILED' },
      { inputs: { tries: 2, wait: 'PT45S' } },
    ).drive();
    const attempts = sim.run('flaky').attempts;
    expect(attempts).toHaveLength(2);
    expect(Date.parse(attempts[1]!.startedAt) - Date.parse(attempts[0]!.endedAt!)).toBe(45_000);
  });

  it('keeps the failure and says why when the retry policy cannot be rendered', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    retry: {type: constant, interval: "{{ inputs.nope }}", maxAttempts: 3}
`,
      { flaky: { state: 'FAILED', error: 'boom' } },
    ).drive();
    expect(sim.run('flaky').attempts).toHaveLength(1);
    expect(sim.run('flaky').error).toMatch(/^boom \(retry policy not applied: .*inputs\.nope/);
    expect(sim.state).toBe('FAILED');
  });

  it('applies allowFailure only once retries are exhausted', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: flaky
    ${BLOCK}
    allowFailure: true
    retry: {type: constant, interval: PT1S, maxAttempts: 2}
  - {id: next, ${LOG}}
`,
      { flaky: 'FAILED' },
    ).drive();
    expect(sim.run('flaky').attempts).toHaveLength(2);
    expect(sim.trace()).toEqual(['flaky:WARNING', 'next:SUCCESS']);
    expect(sim.state).toBe('WARNING');
  });
});
