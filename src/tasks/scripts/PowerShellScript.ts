import { defineTask } from '../types.js';
import { scriptProperties } from './common.js';

/** Runs a PowerShell script. */
export const PowerShellScript = defineTask({
  types: ['io.kestra.plugin.scripts.powershell.Script'],
  title: 'Run a PowerShell script',
  kind: 'runnable',
  properties: (k) => ({
    script: k.string().describe('The script to run'),
    ...scriptProperties(k),
  }),
});
