import { CronSyntaxError, isValidTimezone, parseCron } from '../scheduler/cron.js';
import type { FlowDocument } from './flow-schema.js';
import type { Problem } from './flow-checks.js';

const SCHEDULE_TYPES = new Set(['io.kestra.plugin.core.trigger.Schedule', 'io.kestra.core.models.triggers.types.Schedule']);

/**
 * Schedule triggers checked at load time, so a typo fails `patchbay validate` instead of the
 * 2 a.m. window: the cron parses (5 fields, 6 with withSeconds, or a nickname), the time zone
 * is an IANA name, and `conditions` (not evaluated by Patchbay's scheduler) are refused by name.
 */
export function scheduleProblems(document: FlowDocument): Problem[] {
  const problems: Problem[] = [];
  for (const [index, trigger] of (document.triggers ?? []).entries()) {
    if (!SCHEDULE_TYPES.has(trigger.type)) continue;
    const node = trigger as Record<string, unknown>;
    const where = `flow ${document.namespace}.${document.id}, trigger \`${trigger.id}\``;
    if (typeof node.cron === 'string') {
      try {
        parseCron(node.cron, node.withSeconds === true);
      } catch (error) {
        if (!(error instanceof CronSyntaxError)) throw error;
        problems.push({ path: ['triggers', index, 'cron'], message: `${where}: cron \`${node.cron}\`: ${error.message}` });
      }
    }
    if (typeof node.timezone === 'string' && !isValidTimezone(node.timezone)) {
      problems.push({
        path: ['triggers', index, 'timezone'],
        message: `${where}: timezone \`${node.timezone}\` is not an IANA time zone (e.g. Europe/Paris, America/New_York, UTC)`,
      });
    }
    if (Array.isArray(node.conditions) && node.conditions.length > 0) {
      problems.push({
        path: ['triggers', index, 'conditions'],
        message: `${where}: conditions on Schedule triggers are not supported by Patchbay; remove them (use an If task on {{ trigger.date }} instead)`,
        atKey: true,
      });
    }
  }
  return problems;
}
