import type { App } from '@slack/bolt';
import { STATUS_ACTION_ID } from '../../blocks/home.js';
import type { ListenerDeps } from '../kit.js';
import { registerExecutionButton } from './execution-button.js';

/** `execution_status` (App Home rows, status messages): the execution as `/flow status` shows it. */
export function registerExecutionStatus(app: App, deps: ListenerDeps): void {
  registerExecutionButton(app, deps, STATUS_ACTION_ID, 'status');
}
