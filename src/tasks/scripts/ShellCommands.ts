import { defineTask } from '../types.js';
import { commandsProperty, scriptProperties } from './common.js';

/** Runs shell commands as a local child process. */
export const ShellCommands = defineTask({
  types: ['io.kestra.plugin.scripts.shell.Commands'],
  title: 'Run one or more shell commands',
  kind: 'runnable',
  properties: (k) => ({
    commands: commandsProperty(k),
    ...scriptProperties(k),
  }),
});
