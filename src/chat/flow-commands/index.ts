import { defineFamily } from '../family.js';
import { approvalsCommand } from './approvals.js';
import { describeCommand } from './describe.js';
import { killCommand } from './kill.js';
import { listCommand } from './list.js';
import { logsCommand } from './logs.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { schedulesCommand } from './schedules.js';
import { statusCommand } from './status.js';

/** `/flow …`: one file per sub-command, listed here in the order `/flow help` shows them. */
export const flowFamily = defineFamily({
  name: 'flow',
  subcommands: [runCommand, listCommand, describeCommand, statusCommand, logsCommand, killCommand, approvalsCommand, reportCommand, schedulesCommand],
});

export { FLOW_PICK_ACTION_ID, approvalsMessage, askInputsMessage, flowPicker, inputErrorsMessage, runLine } from './messages.js';
export { expressionOptions } from './run.js';
