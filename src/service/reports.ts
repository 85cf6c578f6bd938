import type { EngineContext } from '../engine/transition.js';
import { reportBlocks } from '../reports/blocks.js';
import { type PatchReportRequest, collectPatchReport } from '../reports/build.js';
import { chartPng } from '../reports/chart.js';
import { reportMarkdown } from '../reports/markdown.js';
import { type PostedReport, postPatchReport } from '../reports/post.js';
import { DatabaseReportSource } from '../reports/source.js';
import type { PatchReport } from '../reports/types.js';
import type { Message } from '../slack/blocks/slack-types.js';

/**
 * The service side of `/flow report`: build the report from the engine's report source (the
 * database), render it every way a surface may want, and post it through the chat
 * integration when the caller asks and the server has one (Slack). Without one, the caller
 * gets the rendered message and chart and hands them over itself (a chat reply).
 */
export interface PatchReportCommand extends PatchReportRequest {
  /** Post the report (message, then chart in its thread) into this channel through the chat integration, if configured. */
  postTo?: string;
  /** Render the chart PNG (default true). */
  chart?: boolean;
}

export interface PatchReportOutcome {
  report: PatchReport;
  message: Message;
  markdown: string;
  /** The chart, unless `chart: false` (or its rendering failed: see `chartError`). */
  chart?: Buffer;
  chartError?: string;
  /** Set when the report was posted through the chat integration. */
  posted?: PostedReport;
  /** Posting was asked for and failed (e.g. the bot is not in the channel): the caller may still reply. */
  postError?: Error;
}

export async function patchReport(context: EngineContext, command: PatchReportCommand): Promise<PatchReportOutcome> {
  const source = context.integrations?.reports ?? new DatabaseReportSource(context.database, context.flows);
  const report = await collectPatchReport(source, command, context.clock());
  const outcome: PatchReportOutcome = { report, message: reportBlocks(report), markdown: reportMarkdown(report) };
  const wantChart = command.chart ?? true;
  const chat = context.integrations?.chat;
  if (command.postTo && chat) {
    try {
      outcome.posted = await postPatchReport(chat, command.postTo, report, { chart: wantChart });
      return outcome;
    } catch (error) {
      outcome.postError = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (wantChart) {
    try {
      outcome.chart = await chartPng(report);
    } catch (error) {
      outcome.chartError = error instanceof Error ? error.message : String(error);
    }
  }
  return outcome;
}
