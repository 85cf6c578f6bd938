import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseFlowSource } from '../../../src/flow/loader.js';

const flow = (trigger: string) => `id: nightly
namespace: company.ops
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: window
    type: io.kestra.plugin.core.trigger.Schedule
${trigger}`;

const problems = (trigger: string) => parseFlowSource(flow(trigger), 'f.yaml').diagnostics.map(formatDiagnostic);

describe('Schedule triggers at load time', () => {
  it('accepts crons, nicknames, seconds and IANA zones', () => {
    expect(problems('    cron: "0 2 * * SAT"\n    timezone: Europe/Paris\n')).toEqual([]);
    expect(problems('    cron: "@weekly"\n')).toEqual([]);
    expect(problems('    cron: "*/5 * * * * *"\n    withSeconds: true\n')).toEqual([]);
  });

  it('names the flow, trigger, field and value of a bad cron or zone, at its position', () => {
    expect(problems('    cron: "0 2 * * 8"\n')).toEqual(['f.yaml:10:11: flow company.ops.nightly, trigger `window`: cron `0 2 * * 8`: day-of-week field: 8 is out of range 0-7']);
    expect(problems('    cron: "0 0 2 * * *"\n')[0]).toMatch(/cron `0 0 2 \* \* \*`: .*has 6 fields; .*set withSeconds: true/);
    expect(problems('    cron: "0 2 * * *"\n    timezone: Europe/Pariss\n')).toEqual([
      'f.yaml:11:15: flow company.ops.nightly, trigger `window`: timezone `Europe/Pariss` is not an IANA time zone (e.g. Europe/Paris, America/New_York, UTC)',
    ]);
  });

  it('refuses conditions by name instead of ignoring them', () => {
    expect(problems('    cron: "0 2 * * *"\n    conditions:\n      - type: io.kestra.plugin.core.condition.DayWeek\n        dayOfWeek: MONDAY\n')[0]).toMatch(
      /trigger `window`: conditions on Schedule triggers are not supported/,
    );
  });
});
