import { isPatchbayError, taskFailed } from '../../errors.js';
import { collectPatchReport } from '../../reports/build.js';
import { reportMarkdown } from '../../reports/markdown.js';
import { postPatchReport } from '../../reports/post.js';
import type { PatchReport } from '../../reports/types.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { type TaskRunContext, defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  since: k
    .string()
    .optional()
    .describe('Start of the window: an ISO-8601 instant, or a duration back from `until` (P7D). Default: the previous fire of the schedule that started this run, else 7 days'),
  until: k.string().optional().describe('End of the window (exclusive): an ISO-8601 instant, or a duration back from now. Default: now'),
  flows: k
    .stringOrList()
    .optional()
    .describe('Patch flows to report on: ids or globs over `flowId` or `namespace.flowId`. Default: every execution that names a VM (a `vm` input or output)'),
  namespace: k.string().optional().describe('Only flows of this namespace and its sub-namespaces'),
  channel: k.string().optional().describe('Slack channel id or name to post the report to; without a chat configured on the server the task warns and still returns the report'),
  title: k.string().optional().describe('Heading of the report (default "Patch window report")'),
  chart: k.bool().default(true).describe('Attach a PNG chart of outcomes per day in the message thread'),
  timezone: k.string().optional().describe("Time zone of the chart's days and of dates written without an offset; default: the next window's schedule zone, else UTC"),
  nextWindow: k.string().optional().describe('The next patch window, as an ISO instant or free text; default: the earliest next fire of the patch flows\' Schedule triggers'),
});

type Props = RunProps<typeof properties>;

/** `trigger.previous` of the run's own Schedule trigger, when a schedule started it. */
async function previousFire(context: TaskRunContext, props: Props): Promise<string | undefined> {
  if (props.since?.trim() || !context.integrations.reports) return undefined;
  const trigger = await context.integrations.reports.triggerOf(context.execution.id);
  const previous = trigger?.previous;
  if (typeof previous === 'string') return previous;
  return previous instanceof Date ? previous.toISOString() : undefined;
}

/** The report as task outputs: the same data the message shows, plus the Markdown. */
function outputsOf(report: PatchReport, markdown: string): Record<string, unknown> {
  return {
    title: report.title,
    window: report.window,
    timezone: report.timezone,
    totals: report.totals,
    vms: report.vms,
    days: report.days,
    nextWindow: report.nextWindow,
    truncated: report.truncated,
    markdown,
  };
}

/**
 * Patchbay's patch-window report: per VM patched / rolled back / failed / skipped / waiting for
 * approval over a window, with durations, approvers, recovery points, totals and the next
 * window (see src/reports/README.md for the rules). Returns it as outputs (`totals`, `vms`,
 * `markdown`, `nextWindow`, `window`…) and, with `channel`, posts it as Block Kit with a chart;
 * `posted: {channel, ts}` then says where. When the server has no chat configured, a given
 * `channel` only adds a warning to the logs: the report is still the task's outputs.
 */
export const PatchWindow = defineTask({
  types: ['patchbay.reports.PatchWindow'],
  title: 'Report a patch window: patched, rolled back, failed, waiting for approval, next window; optionally posted to Slack',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as Props;
    const source = context.integrations.reports;
    if (!source) {
      throw taskFailed('patchbay.reports.PatchWindow needs the report source the Patchbay service provides; this engine was started without one', { retryable: false });
    }
    let report: PatchReport;
    try {
      report = await collectPatchReport(
        source,
        { since: props.since, until: props.until, flows: typeof props.flows === 'string' ? [props.flows] : props.flows, namespace: props.namespace, title: props.title, timezone: props.timezone, nextWindow: props.nextWindow, previousFire: await previousFire(context, props) },
        new Date(),
      );
    } catch (error) {
      // Bad `since`/`until`/`timezone` cannot get better on retry; database errors may.
      if (isPatchbayError(error) && error.code === 'USAGE') throw taskFailed(error.message, { retryable: false, cause: error });
      throw error;
    }
    const markdown = reportMarkdown(report);
    const outputs = outputsOf(report, markdown);
    context.log.info(`${report.title}: ${report.totals.vms} VMs, ${report.totals.runs} runs from ${report.window.since} to ${report.window.until}`);
    const channel = props.channel?.trim();
    if (!channel) return { outputs };
    const chat = context.integrations.chat;
    if (!chat) {
      context.log.warn(`no chat is configured on this server: the report was not posted to ${channel} (it is in the task outputs)`);
      return { outputs };
    }
    const posted = await postPatchReport(chat, channel, report, { chart: props.chart });
    if (posted.chartError) context.log.warn(`the report was posted to ${posted.channel} but its chart was not: ${posted.chartError}`);
    return { outputs: { ...outputs, posted: { channel: posted.channel, ts: posted.ts } } };
  },
});
