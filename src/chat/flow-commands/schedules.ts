import type { ScheduleView } from '../../service/schedules.js';
import { code, safeText } from '../../slack/blocks/text.js';
import type { Subcommand } from '../family.js';
import { privateReply } from '../replies.js';

/** One line per trigger: flow and trigger, next fire in the trigger's zone, the cron in words. */
export function scheduleLine(view: ScheduleView): string {
  const next = view.disabled ? 'disabled' : view.stopped ? `stopped: ${safeText(view.stopped, 200)}` : view.nextFireLocal ? `next ${view.nextFireLocal}` : 'never fires again';
  const last = view.lastFire ? `, last ${view.lastFire.toISOString()}` : '';
  return `• ${code(`${view.namespace}.${view.flowId}`)} ${code(view.triggerId)} — ${safeText(view.description, 200)} — ${next}${last}`;
}

/** `/flow schedules [namespace]`: upcoming scheduled runs, soonest first. */
export const schedulesCommand: Subcommand = {
  name: 'schedules',
  usage: '/flow schedules [namespace]',
  description: 'upcoming scheduled runs, with the cron in words',
  async run(args, _request, context) {
    const [namespace, ...extra] = args.positionals;
    if (extra.length) return privateReply(':warning: usage: `/flow schedules [namespace]`');
    const views = (await context.service.schedules()).filter((view) => !namespace || view.namespace === namespace || view.namespace.startsWith(`${namespace}.`));
    if (views.length === 0) return privateReply(namespace ? `No schedules in ${code(namespace)} or below.` : 'No flow has a Schedule trigger.');
    const shown = views.slice(0, 40);
    const more = views.length > shown.length ? `\n…and ${views.length - shown.length} more (\`patchbay schedules\` lists them all)` : '';
    return privateReply(`*Schedules*\n${shown.map(scheduleLine).join('\n')}${more}`);
  },
};
