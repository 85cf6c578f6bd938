import { createScope } from '../../../src/expr/render.js';

/** A realistic render context: what the engine passes to a task of a running execution. */
export function sampleContext(): Record<string, unknown> {
  return {
    inputs: {
      vm: 'Prod Web 01',
      n: 3,
      env: 'prod',
      empty: '',
      nothing: null,
      list: [3, 1, 2],
      tags: { team: 'platform', tier: 'web' },
    },
    outputs: {
      lookup: { vms: [{ name: 'prod-web-01', ip: '10.0.0.5' }], size: 1 },
      'my-task': { value: 'dashed' },
      each: { a: { value: 1 }, b: { value: 2 } },
    },
    vars: { greeting: 'hi' },
    execution: { id: 'abc123', startDate: '2026-11-21T10:15:30.123Z', state: 'RUNNING' },
    flow: { id: 'hello', namespace: 'company.ops', revision: 3 },
    labels: { team: 'platform' },
    task: { id: 'announce', type: 'io.kestra.plugin.core.log.Log' },
    taskrun: { id: 'tr1', startDate: '2026-11-21T10:15:31Z', attemptsCount: 2, value: 'b' },
    parent: { taskrun: { value: 'a' } },
    parents: [{ taskrun: { value: 'a' } }],
    trigger: { date: '2026-11-21T02:00:00Z', next: '2026-11-28T02:00:00Z' },
  };
}

export function sampleScope() {
  const kv: Record<string, unknown> = { 'company.ops/last_patch': '2026-11-14', 'other.ns/token': 42 };
  return createScope({
    namespace: 'company.ops',
    secret: (name) => (name === 'DB_PASSWORD' ? 's3cr3t-pa55' : undefined),
    kv: (namespace, key) => {
      const id = `${namespace}/${key}`;
      return Object.hasOwn(kv, id) ? { found: true, value: kv[id] } : { found: false };
    },
    appLink: () => 'https://slack.example/archives/C1/p123',
    now: () => new Date('2026-11-21T10:20:00.000Z'),
  });
}
