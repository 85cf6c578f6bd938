import nunjucks from 'nunjucks';
import { createScope, renderString, renderTyped } from '../src/expr/render.js';
import { measure, printRatio, printTable } from './measure.js';

/**
 * Expression rendering: Patchbay's sandboxed Pebble renderer against plain nunjucks on the
 * same template, in the same process, so the ratio shows what the sandbox and the Pebble
 * syntax layer cost per render.
 */
export function benchExpressions(): void {
  const context = {
    inputs: { vm: 'Prod Web 01', retries: 3 },
    outputs: { lookup: { vms: [{ name: 'prod-web-01', extId: 'a1b2' }], size: 1 } },
    execution: { id: '3kQ9xY', startDate: '2026-11-21T10:00:00Z' },
  };
  const template = 'ssh admin@{{ outputs.lookup.vms[0].name }} "patch --vm {{ inputs.vm | lower }} --retries {{ inputs.retries }} --run {{ execution.id }}"';
  const plain = new nunjucks.Environment(null, { autoescape: false });
  const plainTemplate = new nunjucks.Template(template, plain, undefined, true);
  const scope = createScope();

  const ours = measure('patchbay renderString (sandboxed, cached)', () => renderString(template, context, scope));
  const baseline = measure('plain nunjucks Template.render (no sandbox)', () => plainTemplate.render(context));
  const typed = measure('patchbay renderTyped single expression', () => renderTyped('{{ outputs.lookup.size + inputs.retries }}', context, scope));
  const coalesce = measure('patchbay `??` over a missing value', () => renderTyped("{{ inputs.missing ?? 'default' }}", context, scope));
  printTable('Expressions', [ours, baseline, typed, coalesce]);
  printRatio('patchbay / plain nunjucks', ours, baseline);
}
