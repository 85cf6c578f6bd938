import { ErrorCode, PatchbayError } from '../../errors.js';
import { reportCaption } from '../../reports/blocks.js';
import { chartFilename } from '../../reports/chart.js';
import { totalsPhrase } from '../../reports/labels.js';
import type { PatchReportOutcome } from '../../service/reports.js';
import type { KnownBlock, Message } from '../../slack/blocks/slack-types.js';
import { LIMITS, safeText, truncate } from '../../slack/blocks/text.js';
import type { Subcommand, SubcommandArgs } from '../family.js';
import { privateReply } from '../replies.js';
import type { ChatReply, ChatRequest } from '../types.js';

/**
 * `/flow report [since] [until=…] [flows=a,b] [namespace=…] [timezone=…]`: the patch-window
 * report on demand, over the last 7 days unless told (`P14D`, `3d`, `2026-11-14`…).
 *
 * Slack: with the chat integration configured (as `serve` does), the report is posted in the
 * channel as Block Kit with the chart in its thread, exactly as the scheduled task posts it,
 * and the person gets a private confirmation. Without it (or when the bot may not post
 * there), the chart is shared as a file with the report as its caption (ChatReply `file`,
 * which falls back to a DM). Shell: the Markdown report, and the chart saved as a file.
 */
const USAGE = '/flow report [since] [until=…] [flows=a,b] [namespace=…] [timezone=…]';

/** `7d`, `12h`, `2w`, `30m` → ISO durations; anything else is passed on as written (ISO instant or duration). */
export function shorthandDuration(text: string): string {
  const match = /^(\d+)\s*([mhdw])$/i.exec(text.trim());
  if (!match) return text.trim();
  const [, n, unit] = match as unknown as [string, string, string];
  const lower = unit.toLowerCase();
  return lower === 'h' || lower === 'm' ? `PT${n}${lower.toUpperCase()}` : `P${n}${lower.toUpperCase()}`;
}

export function reportRequest(args: SubcommandArgs) {
  const { positionals, pairs } = args;
  const allowed = new Set(['since', 'until', 'flows', 'namespace', 'timezone', 'tz']);
  const unknown = Object.keys(pairs).find((key) => !allowed.has(key));
  if (unknown) throw new PatchbayError(ErrorCode.USAGE, `unknown option \`${unknown}\`; usage: \`${USAGE}\``);
  if (positionals.length > 1 || (positionals.length === 1 && pairs.since !== undefined)) {
    throw new PatchbayError(ErrorCode.USAGE, `give \`since\` once; usage: \`${USAGE}\``);
  }
  const since = positionals[0] ?? pairs.since;
  const flows = pairs.flows?.split(',').map((f) => f.trim()).filter(Boolean);
  const timezone = pairs.timezone ?? pairs.tz;
  return {
    ...(since ? { since: shorthandDuration(since) } : {}),
    ...(pairs.until ? { until: shorthandDuration(pairs.until) } : {}),
    ...(flows?.length ? { flows } : {}),
    ...(pairs.namespace ? { namespace: pairs.namespace } : {}),
    ...(timezone ? { timezone } : {}),
  };
}

/** Markdown as shell text: one section per chunk of whole lines (blocksToText prints them as they are). */
export function markdownMessage(markdown: string): Message {
  const blocks: KnownBlock[] = [];
  let chunk = '';
  for (const line of markdown.trimEnd().split('\n')) {
    if (chunk && chunk.length + 1 + line.length > LIMITS.sectionText) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : truncate(line, LIMITS.sectionText);
  }
  if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  return { text: truncate(markdown, LIMITS.messageText), blocks };
}

function reply(outcome: PatchReportOutcome, request: ChatRequest): ChatReply {
  const { report } = outcome;
  if (outcome.posted) {
    const chart = outcome.posted.chartUploaded ? ' with its chart in the thread' : outcome.posted.chartError ? ` (the chart could not be attached: ${safeText(outcome.posted.chartError, 200)})` : '';
    return privateReply(`:bar_chart: Posted the patch-window report here${chart}: ${safeText(totalsPhrase(report), 500)}.`);
  }
  const title = `${report.title}: outcomes per day`;
  if (request.surface === 'shell') {
    const message = markdownMessage(outcome.markdown);
    return outcome.chart ? { kind: 'file', filename: chartFilename(report), content: outcome.chart, title, message } : { kind: 'public', message };
  }
  if (!outcome.chart) return { kind: 'public', message: outcome.message };
  return { kind: 'file', filename: chartFilename(report), content: outcome.chart, title, message: { text: reportCaption(report), blocks: outcome.message.blocks } };
}

export const reportCommand: Subcommand = {
  name: 'report',
  usage: USAGE,
  description: 'the patch-window report: patched, rolled back, failed, waiting for approval, next window',
  async run(args, request, context) {
    // When posting fails (the bot is not in the channel…), `reply` shares the file instead, and
    // the surface falls back to a DM with the person.
    const outcome = await context.service.patchReport({ ...reportRequest(args), ...(request.surface === 'slack' ? { postTo: request.channel } : {}) });
    return reply(outcome, request);
  },
};
