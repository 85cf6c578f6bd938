import { parseCommandArgs, usageError } from '../args.js';
import { type CliCommand, type CliIo, ExitCode } from '../io.js';
import { openService } from '../service-io.js';
import type { ScheduleView } from '../../service/schedules.js';

/**
 * `patchbay schedules`: every Schedule trigger with its next fire (in the trigger's zone), the
 * cron in words and the last fire; `patchbay schedules backfill FLOW --trigger ID --from ISO
 * --to ISO` starts the runs that range should have had, once each.
 */
const USAGE = 'patchbay schedules [--json] | schedules backfill FLOW [--trigger ID] --from ISO --to ISO [--json]';

function parseInstant(flag: string, value: string | undefined): Date {
  if (!value) throw usageError(`schedules backfill: ${flag} is required (an ISO-8601 date-time such as 2025-06-01T00:00:00Z)`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw usageError(`schedules backfill: ${flag} \`${value}\` is not an ISO-8601 date-time (e.g. 2025-06-01T00:00:00Z)`);
  return date;
}

function printSchedules(io: CliIo, views: readonly ScheduleView[]): void {
  if (views.length === 0) {
    io.stdout.write('no Schedule triggers (add one to a flow: type io.kestra.plugin.core.trigger.Schedule)\n');
    return;
  }
  const rows = views.map((view) => [
    `${view.namespace}.${view.flowId}`,
    view.triggerId,
    view.disabled ? 'disabled' : view.stopped ? 'stopped' : (view.nextFireLocal ?? 'never'),
    view.description,
    view.lastFire ? view.lastFire.toISOString() : '-',
  ]);
  const header = ['FLOW', 'TRIGGER', 'NEXT FIRE', 'SCHEDULE', 'LAST FIRE'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}\n`);
  for (const view of views) if (view.stopped) io.stdout.write(`${view.namespace}.${view.flowId} ${view.triggerId}: ${view.stopped}\n`);
}

export const schedulesCommand: CliCommand = {
  name: 'schedules',
  summary: 'list upcoming scheduled runs, or backfill a range of a Schedule trigger',
  usage: USAGE,
  async run(args, io) {
    const { positionals, values } = parseCommandArgs('schedules', args, {
      json: { type: 'boolean' },
      trigger: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    });
    const [verb, flow, ...extra] = positionals;
    if (verb === undefined) {
      if (values.trigger || values.from || values.to) throw usageError(`schedules: --trigger, --from and --to belong to \`schedules backfill\`; usage: ${USAGE}`);
      const service = await openService(io);
      try {
        const views = await service.schedules();
        if (values.json) io.stdout.write(`${JSON.stringify(views)}\n`);
        else printSchedules(io, views);
        return ExitCode.OK;
      } finally {
        await service.close();
      }
    }
    if (verb !== 'backfill') throw usageError(`schedules: unknown verb \`${verb}\`; usage: ${USAGE}`);
    if (!flow || extra.length) throw usageError(`schedules backfill: give one flow (namespace.flowId); usage: ${USAGE}`);
    const from = parseInstant('--from', values.from);
    const to = parseInstant('--to', values.to);
    const service = await openService(io);
    try {
      const result = await service.backfill({ flow, triggerId: values.trigger, from, to });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(result)}\n`);
        return ExitCode.OK;
      }
      const name = `${result.namespace}.${result.flowId} ${result.triggerId}`;
      for (const run of result.started) io.stdout.write(`started ${run.executionId}  ${run.state.padEnd(9)} fire ${run.fireTime.toISOString()}\n`);
      io.stdout.write(
        `${name}: ${result.started.length} run${result.started.length === 1 ? '' : 's'} started` +
          `${result.alreadyDone.length ? `, ${result.alreadyDone.length} fire time${result.alreadyDone.length === 1 ? '' : 's'} already had ${result.alreadyDone.length === 1 ? 'its run' : 'their runs'}` : ''}\n`,
      );
      // The runs are queued for the workers; follow them with `patchbay executions list`.
      return ExitCode.OK;
    } finally {
      await service.close();
    }
  },
};
