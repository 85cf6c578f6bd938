import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closest } from '../../../src/flow/suggest.js';
import { allTriggerDefinitions, lookupTrigger, suggestTriggerTypes, triggerTypeNames } from '../../../src/flow/triggers.js';
import { createPropKit } from '../../../src/tasks/kit.js';
import { allTaskDefinitions, lookupTask, suggestTaskTypes, taskTypeNames } from '../../../src/tasks/registry.js';
import type { TaskNode } from '../../../src/tasks/types.js';

describe('task registry', () => {
  it('resolves every alias to the same definition as its canonical name', () => {
    for (const definition of allTaskDefinitions()) {
      for (const name of definition.types) expect(lookupTask(name)).toBe(definition);
    }
    expect(lookupTask('io.kestra.core.tasks.flows.Pause')).toBe(lookupTask('io.kestra.plugin.core.flow.Pause'));
    expect(lookupTask('io.kestra.plugin.fs.http.Request')).toBe(lookupTask('io.kestra.plugin.core.http.Request'));
    expect(lookupTask('io.kestra.plugin.notifications.slack.SlackIncomingWebhook')?.types[0]).toBe(
      'io.kestra.plugin.slack.notifications.SlackIncomingWebhook',
    );
  });

  it('lists every name once, aliases included, and nothing by bare class name', () => {
    const names = taskTypeNames();
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(allTaskDefinitions().reduce((sum, definition) => sum + definition.types.length, 0));
    expect(lookupTask('Log')).toBeUndefined();
    expect(lookupTask('io.kestra.plugin.core.log.log')).toBeUndefined();
  });

  it.each([
    ['Log', 'io.kestra.plugin.core.log.Log'],
    ['io.kestra.plugin.core.log.Logg', 'io.kestra.plugin.core.log.Log'],
    ['io.kestra.core.log.Log', 'io.kestra.plugin.core.log.Log'],
    ['io.kestra.plugin.core.flow.Sequencial', 'io.kestra.plugin.core.flow.Sequential'],
    ['io.kestra.plugin.scripts.shel.Commands', 'io.kestra.plugin.scripts.shell.Commands'],
    ['io.kestra.plugin.scripts.powershel.Script', 'io.kestra.plugin.scripts.powershell.Script'],
    ['io.kestra.plugin.core.flow.HumanTask', 'io.kestra.plugin.ee.flow.HumanTask'],
    ['io.kestra.core.tasks.flows.Subflows', 'io.kestra.plugin.core.flow.Subflow'],
  ])('suggests the canonical name for %s', (unknown, expected) => {
    expect(suggestTaskTypes(unknown)[0]).toBe(expected);
  });

  it('suggests at most n names, and none for something unrelated', () => {
    expect(suggestTaskTypes('io.kestra.plugin.core.kv.Gett', 2).length).toBeLessThanOrEqual(2);
    expect(suggestTaskTypes('com.example.Frobnicator')).toEqual([]);
    // A typo in the class name must not drag in its package siblings.
    expect(suggestTaskTypes('io.kestra.plugin.core.flow.Sequencial')).toEqual(['io.kestra.plugin.core.flow.Sequential']);
  });
});

describe('property name suggestions', () => {
  it('finds near misses, ignoring case, and gives up on unrelated words', () => {
    expect(closest('finaly', ['errors', 'finally', 'tasks'])).toBe('finally');
    expect(closest('loglevel', ['logLevel', 'level'])).toBe('logLevel');
    expect(closest('concurrency', ['concurrencyLimit', 'tasks'])).toBe('concurrencyLimit');
    expect(closest('payload', ['url', 'messageText'])).toBeUndefined();
    expect(closest('zzz', ['finally'])).toBeUndefined();
  });
});

describe('trigger registry', () => {
  const nested = z.looseObject({ id: z.string(), type: z.string() }) as unknown as z.ZodType<TaskNode>;
  const schemaOf = (type: string) => z.strictObject(lookupTrigger(type)!.properties(createPropKit('load', () => nested)));

  it('resolves old names and suggests close ones', () => {
    expect(lookupTrigger('io.kestra.core.models.triggers.types.Schedule')).toBe(lookupTrigger('io.kestra.plugin.core.trigger.Schedule'));
    expect(triggerTypeNames()).toContain('io.kestra.core.models.triggers.types.Webhook');
    expect(suggestTriggerTypes('io.kestra.plugin.core.trigger.Schedul')).toEqual(['io.kestra.plugin.core.trigger.Schedule']);
    expect(suggestTriggerTypes('Webhook')[0]).toBe('io.kestra.plugin.core.trigger.Webhook');
  });

  it.each([
    ['io.kestra.plugin.core.trigger.Schedule', { cron: '0 9 * * *', stopAfter: ['FAILED'] }],
    ['io.kestra.plugin.core.trigger.Schedule', { cron: '0 11 * * 1', timezone: 'Europe/Paris', recoverMissedSchedules: 'LAST', conditions: [{ type: 'io.kestra.plugin.core.condition.DayWeekInMonth', date: '{{ trigger.date }}', dayOfWeek: 'MONDAY', dayInMonth: 'FIRST' }] }],
    ['io.kestra.plugin.core.trigger.Webhook', { key: '4wjtkzwVGBM9yKnjm3yv8r', wait: true, returnOutputs: true, responseContentType: 'text/plain' }],
    ['io.kestra.plugin.core.trigger.Flow', { inputs: { from_parent: '{{ trigger.outputs.parent_output }}' }, conditions: [{ type: 'io.kestra.plugin.core.condition.ExecutionStatusCondition', in: ['SUCCESS'] }] }],
    ['io.kestra.plugin.core.trigger.Flow', { states: ['FAILED', 'WARNING'], preconditions: { id: 'company_namespace', where: [{ id: 'company', filters: [{ field: 'NAMESPACE', type: 'STARTS_WITH', value: 'company' }] }] } }],
  ])('%s loads its documentation example', (type, props) => {
    expect(schemaOf(type).safeParse(props).error).toBeUndefined();
  });

  it('refuses templates where Kestra does not render, and misspelt properties', () => {
    const schedule = schemaOf('io.kestra.plugin.core.trigger.Schedule');
    expect(schedule.safeParse({ cron: '* * * * *', withSeconds: '{{ inputs.s }}' }).success).toBe(false);
    expect(schedule.safeParse({ cron: '* * * * *', recoverMissedSchedule: 'ALL' }).success).toBe(false);
    expect(schedule.safeParse({ cron: '* * * * *', stopAfter: ['DONE'] }).success).toBe(false);
  });

  it('converts every trigger to an editor JSON Schema', () => {
    for (const definition of allTriggerDefinitions()) {
      const json = z.toJSONSchema(z.strictObject(definition.properties(createPropKit('load', () => nested))), { io: 'input', unrepresentable: 'any' });
      expect(json.additionalProperties).toBe(false);
    }
  });
});
