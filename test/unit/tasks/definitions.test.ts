import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Mode, createPropKit } from '../../../src/tasks/kit.js';
import { allTaskDefinitions } from '../../../src/tasks/registry.js';
import type { TaskDefinition, TaskNode } from '../../../src/tasks/types.js';
import { sshAuthIssues } from '../../../src/tasks/ssh/Command.js';
import { CASES } from './definition-cases.js';

// Nested tasks only need an id and a type here: their own checks belong to the flow schema.
const nestedTask = z.looseObject({ id: z.string(), type: z.string() }) as unknown as z.ZodType<TaskNode>;
const schemaOf = (definition: TaskDefinition, mode: Mode) =>
  z.strictObject(definition.properties(createPropKit(mode, () => nestedTask)));

const definitions = allTaskDefinitions();
const named = (name: string) => definitions.find((definition) => definition.types[0] === name)!;

describe('task definitions', () => {
  it('have exactly one example case per registered type', () => {
    expect(Object.keys(CASES).sort()).toEqual(definitions.map((definition) => definition.types[0]).sort());
  });

  describe.each(definitions.map((definition) => [definition.types[0], definition] as const))('%s', (name, definition) => {
    const example = CASES[name]!;

    it('loads and runs the Kestra documentation examples', () => {
      for (const props of example.valid) {
        expect(schemaOf(definition, 'load').safeParse(props).error).toBeUndefined();
        expect(schemaOf(definition, 'run').safeParse(props).error).toBeUndefined();
      }
    });

    it('refuses a misspelt property', () => {
      const [key, value] = Object.entries(example.valid.find((props) => Object.keys(props).length > 0)!)[0]!;
      const result = schemaOf(definition, 'load').safeParse({ [`${key}x`]: value });
      expect(result.success).toBe(false);
      expect(result.error!.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
    });

    it('refuses a property of the wrong type at load', () => {
      expect(schemaOf(definition, 'load').safeParse(example.wrongType).success).toBe(false);
    });

    if (example.template) it('accepts a template for a dynamic property at load, not at run', () => {
      expect(schemaOf(definition, 'load').safeParse(example.template).error).toBeUndefined();
      expect(schemaOf(definition, 'run').safeParse(example.template).success).toBe(false);
    });

    if (example.coerce) it('coerces rendered strings in run mode', () => {
      const { props, key, expected } = example.coerce!;
      const parsed = schemaOf(definition, 'run').parse(props) as Record<string, unknown>;
      expect(parsed[key]).toBe(expected);
    });

    it('converts to an editor JSON Schema', () => {
      for (const mode of ['load', 'run'] as const) {
        const json = z.toJSONSchema(schemaOf(definition, mode), { io: 'input', unrepresentable: 'any' });
        expect(json.type).toBe('object');
        expect(json.additionalProperties).toBe(false);
      }
    });

    it('declares none of the common task properties', () => {
      const own = Object.keys(definition.properties(createPropKit('load', () => nestedTask)));
      for (const common of ['id', 'type', 'description', 'disabled', 'timeout', 'retry', 'allowFailure', 'runIf']) {
        expect(own).not.toContain(common);
      }
    });

    it('is flowable exactly when it has branches', () => {
      if (definition.branches) expect(definition.kind).toBe('flowable');
      if (definition.kind === 'runnable') expect(definition.branches).toBeUndefined();
    });
  });
});

describe('branches of flowable tasks', () => {
  const log = (id: string): TaskNode => ({ id, type: 'io.kestra.plugin.core.log.Log', message: id });
  const summary = (name: string, task: Record<string, unknown>) =>
    named(name).branches!({ id: 't', type: name, ...task }).map((b) => ({ name: b.name, path: b.path, ids: b.tasks.map((t) => t.id) }));

  it('Switch yields one branch per case, then defaults, errors and finally', () => {
    expect(summary('io.kestra.plugin.core.flow.Switch', { cases: { A: [log('a1'), log('a2')], B: [log('b')] }, defaults: [log('d')], errors: [log('e')] })).toEqual([
      { name: 'case:A', path: ['cases', 'A'], ids: ['a1', 'a2'] },
      { name: 'case:B', path: ['cases', 'B'], ids: ['b'] },
      { name: 'defaults', path: ['defaults'], ids: ['d'] },
      { name: 'errors', path: ['errors'], ids: ['e'] },
      { name: 'finally', path: ['finally'], ids: [] },
    ]);
  });

  it('Pause yields its deprecated tasks, its single onPause task and the handlers', () => {
    expect(summary('io.kestra.plugin.core.flow.Pause', { tasks: [log('t')], onPause: log('p'), finally: [log('f')] })).toEqual([
      { name: 'tasks', path: ['tasks'], ids: ['t'] },
      { name: 'onPause', path: ['onPause'], ids: ['p'] },
      { name: 'errors', path: ['errors'], ids: [] },
      { name: 'finally', path: ['finally'], ids: ['f'] },
    ]);
  });

  it('Approval yields onWait, onApprove and onDeny before the handlers', () => {
    const names = summary('io.kestra.plugin.core.flow.Approval', { onWait: [log('w')], onApprove: [log('y')], onDeny: [log('n')] });
    expect(names.map((b) => [b.name, b.ids])).toEqual([['onWait', ['w']], ['onApprove', ['y']], ['onDeny', ['n']], ['errors', []], ['finally', []]]);
  });

  it.each([
    ['io.kestra.plugin.core.flow.Sequential'],
    ['io.kestra.plugin.core.flow.Parallel'],
    ['io.kestra.plugin.core.flow.ForEach'],
  ])('%s yields tasks, errors and finally', (name) => {
    expect(summary(name, { tasks: [log('a'), log('b')], errors: [log('e')] })).toEqual([
      { name: 'tasks', path: ['tasks'], ids: ['a', 'b'] },
      { name: 'errors', path: ['errors'], ids: ['e'] },
      { name: 'finally', path: ['finally'], ids: [] },
    ]);
  });

  it('If yields then and else', () => {
    expect(summary('io.kestra.plugin.core.flow.If', { then: [log('a')], else: [log('b')] }).slice(0, 2)).toEqual([
      { name: 'then', path: ['then'], ids: ['a'] },
      { name: 'else', path: ['else'], ids: ['b'] },
    ]);
  });
});

describe('defaults and cross-field rules', () => {
  const load = (name: string, props: Record<string, unknown>) => schemaOf(named(name), 'load').parse(props) as Record<string, unknown>;

  it('fills Kestra defaults where the property is left out', () => {
    expect(load('io.kestra.plugin.core.flow.ForEach', { values: ['a'], tasks: [{ id: 'a', type: 'x' }] }).concurrencyLimit).toBe(1);
    expect(load('io.kestra.plugin.core.flow.Pause', {}).behavior).toBe('RESUME');
    expect(load('io.kestra.plugin.ee.flow.HumanTask', {})).toMatchObject({ behavior: 'FAIL', minApprovals: 1, allowSelfApproval: false });
    expect(load('io.kestra.plugin.core.flow.Subflow', { namespace: 'a', flowId: 'b' })).toMatchObject({ wait: true, transmitFailed: true });
  });

  it('refuses empty task lists and zero approvals', () => {
    expect(schemaOf(named('io.kestra.plugin.core.flow.Sequential'), 'load').safeParse({ tasks: [] }).success).toBe(false);
    expect(schemaOf(named('io.kestra.plugin.ee.flow.HumanTask'), 'load').safeParse({ minApprovals: 0 }).success).toBe(false);
  });

  it('marks SSH commands unsafe to repeat; local scripts re-run at least once, as in Kestra', () => {
    const unsafe = definitions.filter((definition) => definition.unsafeToRepeat).map((definition) => definition.types[0]);
    expect(unsafe).toEqual(['io.kestra.plugin.fs.ssh.Command']);
  });

  it('requires the secret that the SSH authMethod needs, unless it is templated', () => {
    expect(sshAuthIssues({ authMethod: 'PUBLIC_KEY', password: 'x' })).toEqual([{ path: ['privateKey'], message: 'authMethod PUBLIC_KEY needs `privateKey`' }]);
    expect(sshAuthIssues({})).toHaveLength(1);
    expect(sshAuthIssues({ password: "{{ secret('P') }}" })).toEqual([]);
    expect(sshAuthIssues({ authMethod: '{{ inputs.auth }}' })).toEqual([]);
    expect(sshAuthIssues({ authMethod: 'OPEN_SSH' })).toEqual([]);
  });

  it('reads SSH strictHostKeyChecking as Kestra strings or booleans', () => {
    const run = schemaOf(named('io.kestra.plugin.fs.ssh.Command'), 'run');
    expect((run.parse({ host: 'h', commands: ['ls'], strictHostKeyChecking: 'no' }) as { strictHostKeyChecking: unknown }).strictHostKeyChecking).toBe(false);
    expect(run.safeParse({ host: 'h', commands: ['ls'], strictHostKeyChecking: 'maybe' }).success).toBe(false);
  });
});
