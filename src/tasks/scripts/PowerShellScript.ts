import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { scriptProperties } from './common.js';
import { runScript } from './run-script.js';

const properties = (k: PropKit) => ({
  script: k.string().describe('The script to run'),
  ...scriptProperties(k),
});

/** Runs a PowerShell script with `pwsh`, which must be installed on the worker. */
export const PowerShellScript = defineTask({
  types: ['io.kestra.plugin.scripts.powershell.Script'],
  title: 'Run a PowerShell script',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    return runScript(context, props, 'powershell', { script: props.script });
  },
});
