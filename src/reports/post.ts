import { reportBlocks } from './blocks.js';
import { chartFilename, chartPng } from './chart.js';
import type { ChatPoster, PostedMessage } from './ports.js';
import { totalsPhrase } from './labels.js';
import type { PatchReport } from './types.js';

/**
 * Posts a report: the Block Kit message first, then the chart into its thread. The message is
 * what people need; a chart that cannot be drawn or uploaded is reported back (`chartError`),
 * never a reason to lose the message that is already in the channel.
 */
export interface PostedReport extends PostedMessage {
  chartUploaded: boolean;
  chartError?: string;
}

export async function postPatchReport(poster: ChatPoster, channel: string, report: PatchReport, options: { chart: boolean }): Promise<PostedReport> {
  const message = reportBlocks(report);
  const posted = await poster.postMessage({ channel, text: message.text, blocks: message.blocks });
  if (!options.chart) return { ...posted, chartUploaded: false };
  try {
    const data = await chartPng(report);
    await poster.uploadFile({
      // The id the chat answered with: a channel given by name must be an id for uploads.
      channel: posted.channel,
      threadTs: posted.ts,
      filename: chartFilename(report),
      title: `${report.title}: outcomes per day`,
      data,
      altText: `Stacked bar chart of VMs per day by outcome: ${totalsPhrase(report)}`,
    });
    return { ...posted, chartUploaded: true };
  } catch (error) {
    return { ...posted, chartUploaded: false, chartError: error instanceof Error ? error.message : String(error) };
  }
}
