import type { DefinitionCase } from '../tasks/definition-cases.js';

/** The PatchWindow task's case for the registry-wide definition tests (merged into CASES). */
export const REPORT_CASES: Record<string, DefinitionCase> = {
  'patchbay.reports.PatchWindow': {
    valid: [
      { since: "{{ trigger.previous ?? 'P7D' }}", channel: '#patching', timezone: 'Europe/Paris' },
      { flows: 'nutanix-safe-patch', chart: true },
      { since: 'P14D', until: '2026-11-21T06:00:00+01:00', flows: ['nutanix-safe-patch', 'company.ops.patch-*'], namespace: 'company.ops', title: 'Weekly patching', chart: false, nextWindow: 'after the freeze' },
    ],
    wrongType: { flows: 42 },
    template: { since: 'P7D', chart: '{{ inputs.chart }}' },
    coerce: { props: { chart: 'false' }, key: 'chart', expected: false },
  },
};
