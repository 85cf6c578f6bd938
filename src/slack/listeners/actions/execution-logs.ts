import type { App } from '@slack/bolt';
import { LOGS_ACTION_ID } from '../../blocks/home.js';
import type { ListenerDeps } from '../kit.js';
import { registerExecutionButton } from './execution-button.js';

/** `execution_logs`: the newest log lines, as `/flow logs` shows them (secrets masked). */
export function registerExecutionLogs(app: App, deps: ListenerDeps): void {
  registerExecutionButton(app, deps, LOGS_ACTION_ID, 'logs');
}
