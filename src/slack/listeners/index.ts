import type { App } from '@slack/bolt';
import { registerApprovalApprove } from './actions/approval-approve.js';
import { registerApprovalReject } from './actions/approval-reject.js';
import { registerExecutionLogs } from './actions/execution-logs.js';
import { registerExecutionStatus } from './actions/execution-status.js';
import { registerFlowPick } from './actions/flow-pick.js';
import { registerFamilyCommands } from './commands/family-command.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import type { ListenerDeps } from './kit.js';
import { registerFlowReject } from './views/flow-reject.js';
import { registerFlowResume } from './views/flow-resume.js';
import { registerFlowRun } from './views/flow-run.js';

/** Every listener of the Slack surface; one per file, each acking before it works. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerFamilyCommands(app, deps);
  registerFlowPick(app, deps);
  registerApprovalApprove(app, deps);
  registerApprovalReject(app, deps);
  registerExecutionStatus(app, deps);
  registerExecutionLogs(app, deps);
  registerFlowRun(app, deps);
  registerFlowResume(app, deps);
  registerFlowReject(app, deps);
  registerAppHomeOpened(app, deps);
}

export type { ListenerDeps, MessageRefresher, SlackLog } from './kit.js';
