import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { commandsProperty, scriptProperties } from './common.js';
import { runScript } from './run-script.js';

const properties = (k: PropKit) => ({
  commands: commandsProperty(k),
  ...scriptProperties(k),
});

/** Runs PowerShell commands with `pwsh`, which must be installed on the worker. */
export const PowerShellCommands = defineTask({
  types: ['io.kestra.plugin.scripts.powershell.Commands'],
  title: 'Run one or more PowerShell commands',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    return runScript(context, props, 'powershell', { commands: props.commands });
  },
});
