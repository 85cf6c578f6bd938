import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../../src/flow/flow-files.js';
import { formatDiagnostic, parseFlowSource } from '../../../src/flow/loader.js';

/** Lines joined with \n; keeps the YAML in the tests readable and the expected positions obvious. */
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

const problems = (text: string) => parseFlowSource(text, 'f.yaml').diagnostics.map(formatDiagnostic);

const header = ['id: demo', 'namespace: company.ops'];

describe('flow loader', () => {
  it('loads a valid flow and applies pluginDefaults, older names and label lists', () => {
    const { flows, diagnostics } = parseFlowSource(
      yaml(
        ...header,
        'labels:',
        '  - key: team',
        '    value: platform',
        'pluginDefaults:',
        '  - type: io.kestra.plugin.core.log',
        '    values: { level: WARN }',
        'tasks:',
        '  - id: hello',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: hi',
        '    retry: { type: constant, interval: PT1S, maxAttempt: 3 }',
        '  - id: loud',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: hi',
        '    level: ERROR',
      ),
      'f.yaml',
    );
    expect(diagnostics).toEqual([]);
    const flow = flows[0]!.flow;
    expect(flow.labels).toEqual({ team: 'platform' });
    expect(flow.tasks[0]).toMatchObject({ level: 'WARN', retry: { maxAttempts: 3 } });
    expect(flow.tasks[0]!.retry).not.toHaveProperty('maxAttempt');
    expect(flow.tasks[1]).toMatchObject({ level: 'ERROR' });
    expect(flow.errors).toEqual([]);
  });

  it('lets forced defaults win and defaults supply required properties', () => {
    const { flows, diagnostics } = parseFlowSource(
      yaml(
        ...header,
        'pluginDefaults:',
        '  - type: io.kestra.plugin.fs.ssh.Command',
        '    values: { host: 10.0.0.5, username: admin, authMethod: PASSWORD, password: x, port: 2222 }',
        '  - type: io.kestra.plugin.fs.ssh',
        '    forced: true',
        '    values: { port: 22 }',
        'tasks:',
        '  - id: patch',
        '    type: io.kestra.plugin.fs.ssh.Command',
        '    port: 2200',
        '    commands: [uptime]',
      ),
      'f.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(flows[0]!.flow.tasks[0]).toMatchObject({ host: '10.0.0.5', port: 22, commands: ['uptime'] });
  });

  it('points YAML syntax errors at their line and column', () => {
    expect(problems(yaml(...header, 'tasks:', '  - id: a', '    type: x: y'))).toEqual([
      'f.yaml:5:11: YAML: Nested mappings are not allowed in compact mappings',
    ]);
    expect(problems(yaml(...header, 'id: again'))).toEqual(['f.yaml:3:1: YAML: Map keys must be unique']);
  });

  it('names the closest task types for an unknown type, at the type value', () => {
    expect(problems(yaml(...header, 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Logg', '    message: x'))).toEqual([
      'f.yaml:5:11: unknown task type `io.kestra.plugin.core.log.Logg`; did you mean `io.kestra.plugin.core.log.Log`?',
    ]);
  });

  it('points an unknown property at its key, with a suggestion', () => {
    expect(problems(yaml(...header, 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    mesage: x'))).toEqual([
      'f.yaml:4:5: `tasks.0.message`: required property is missing',
      'f.yaml:6:5: unknown property `mesage` for io.kestra.plugin.core.log.Log; did you mean `message`?',
    ]);
  });

  it('reports a wrong value type at the value', () => {
    expect(
      problems(
        yaml(...header, 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    message: x', '    retry:', '      type: constant', '      interval: soon'),
      ),
    ).toEqual([expect.stringMatching(/^f\.yaml:9:17: `tasks\.0\.retry\.interval`: .*ISO-8601 duration/)]);
  });

  it('finds duplicate task ids across nesting levels', () => {
    const text = yaml(
      ...header,
      'tasks:',
      '  - id: check',
      '    type: io.kestra.plugin.core.flow.If',
      '    condition: "{{ true }}"',
      '    then:',
      '      - id: check',
      '        type: io.kestra.plugin.core.log.Log',
      '        message: nested',
    );
    expect(problems(text)).toEqual(['f.yaml:8:13: duplicate task id `check` (first used at `tasks.0.id`)']);
  });

  it('checks templates at load time and points at the string', () => {
    const text = yaml(...header, 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    message: "{{ inputs.vm | slugifyy }}"');
    expect(problems(text)).toEqual(['f.yaml:6:14: unknown filter `slugifyy`; did you mean `slugify`?']);
  });

  it('accepts a template where a number is expected and refuses plain text', () => {
    const base = [...header, 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.flow.Parallel', '    tasks:', '      - id: b', '        type: io.kestra.plugin.core.log.Log', '        message: x'];
    expect(problems(yaml(...base, '    concurrent: "{{ inputs.n }}"'))).toEqual([]);
    expect(problems(yaml(...base, '    concurrent: lots'))[0]).toMatch(/^f\.yaml:10:17: `tasks\.0\.concurrent`/);
  });

  it('refuses structural mistakes with clear messages', () => {
    expect(problems(yaml(...header, 'tasks: []'))).toEqual(['f.yaml:3:8: `tasks`: a flow needs at least one task']);
    expect(problems(yaml('namespace: company.ops', 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    message: x'))).toEqual([
      'f.yaml:1:1: `id`: required property is missing',
    ]);
    expect(problems(yaml(...header, 'sla: []', 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    message: x'))).toEqual([
      'f.yaml:3:6: `sla` is a Kestra feature Patchbay does not support; remove it',
    ]);
    expect(problems(yaml(...header, 'finaly: []', 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    message: x'))[0]).toMatch(
      /^f\.yaml:3:1: .*`finaly`.*finally/,
    );
    expect(problems('- just\n- a list\n')).toEqual(['f.yaml:1:1: a flow is a YAML map with `id`, `namespace` and `tasks`']);
  });

  it('reports unknown trigger types with suggestions', () => {
    const text = yaml(...header, 'tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    message: x', 'triggers:', '  - id: nightly', '    type: io.kestra.plugin.core.trigger.Schedul', '    cron: "0 2 * * *"');
    expect(problems(text)).toEqual([
      'f.yaml:9:11: unknown trigger type `io.kestra.plugin.core.trigger.Schedul`; did you mean `io.kestra.plugin.core.trigger.Schedule`?',
    ]);
  });

  it('reads several flows from one multi-document file', () => {
    const one = yaml('id: one', 'namespace: a', 'tasks:', '  - id: x', '    type: io.kestra.plugin.core.log.Log', '    message: x');
    const { flows, diagnostics } = parseFlowSource(`${one}---\n${one.replace('id: one', 'id: two')}`, 'f.yaml');
    expect(diagnostics).toEqual([]);
    expect(flows.map((loaded) => loaded.flow.id)).toEqual(['one', 'two']);
    expect(flows[1]!.source.startsWith('id: two')).toBe(true);
    expect(flows[1]!.idPosition).toEqual({ line: 8, col: 5 });
  });
});

describe('flow folders', () => {
  let dir: string;
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('reads yaml files recursively and refuses a namespace.id defined twice', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-flows-'));
    const flow = yaml('id: same', 'namespace: company.ops', 'tasks:', '  - id: x', '    type: io.kestra.plugin.core.log.Log', '    message: x');
    await mkdir(path.join(dir, 'nested'));
    await writeFile(path.join(dir, 'a.yaml'), flow);
    await writeFile(path.join(dir, 'nested', 'b.yml'), `# a comment first\n${flow}`);
    await writeFile(path.join(dir, 'notes.txt'), 'not a flow');
    const result = await loadFlows([dir]);
    expect(result.flows.map((loaded) => path.relative(dir, loaded.file))).toEqual(['a.yaml']);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `${path.join(dir, 'nested', 'b.yml')}:2:5: flow company.ops.same is already defined at ${path.join(dir, 'a.yaml')}:1:5`,
    ]);
  });

  it('reports a missing folder instead of throwing', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-flows-'));
    const result = await loadFlows([path.join(dir, 'nope')]);
    expect(result.diagnostics[0]?.message).toBe('no such file or folder');
  });
});
