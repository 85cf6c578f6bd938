import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { commandsProperty, scriptProperties } from './common.js';
import { runScript } from './run-script.js';

const properties = (k: PropKit) => ({
  commands: commandsProperty(k),
  ...scriptProperties(k),
});

/** Runs shell commands as a local child process; outputs `exitCode` and `vars`. */
export const ShellCommands = defineTask({
  types: ['io.kestra.plugin.scripts.shell.Commands'],
  title: 'Run one or more shell commands',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    return runScript(context, props, 'shell', { commands: props.commands });
  },
});
