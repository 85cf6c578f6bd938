import { defineTask } from '../types.js';
import { commandsProperty, scriptProperties } from './common.js';

/** Runs PowerShell commands. */
export const PowerShellCommands = defineTask({
  types: ['io.kestra.plugin.scripts.powershell.Commands'],
  title: 'Run one or more PowerShell commands',
  kind: 'runnable',
  properties: (k) => ({
    commands: commandsProperty(k),
    ...scriptProperties(k),
  }),
});
