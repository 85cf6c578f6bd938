import { lastLogLines } from '../../service/chat-queries.js';
import { logLines } from '../../slack/blocks/flow-info.js';
import { mrkdwn } from '../../slack/blocks/text.js';
import type { Subcommand } from '../family.js';
import { requireId } from './shared.js';

/** How many of the newest lines a chat reply shows; the CLI prints them all. */
export const LOG_TAIL = 30;

/** `/flow logs <id>`: the newest lines (secrets masked), oldest first. */
export const logsCommand: Subcommand = {
  name: 'logs',
  usage: '/flow logs <execution id>',
  description: `the last ${LOG_TAIL} log lines of an execution`,
  async run(args, _request, context) {
    const id = requireId(args.positionals, this.usage);
    const view = await context.service.execution(id);
    const { lines, total } = await lastLogLines(context.service.database, id, LOG_TAIL);
    const message = logLines(lines, { last: LOG_TAIL, title: `Logs of ${view.namespace}.${view.flowId} (${view.state.toLowerCase()}, execution ${id})` });
    if (total > lines.length) {
      message.blocks.push({ type: 'context', block_id: 'count', elements: [mrkdwn(`Last ${lines.length} of ${total} lines; \`patchbay executions logs ${id}\` prints them all`)] });
    }
    return { kind: 'private', message };
  },
};
