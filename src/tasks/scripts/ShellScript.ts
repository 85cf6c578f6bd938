import { defineTask } from '../types.js';
import { scriptProperties } from './common.js';

/** Runs a multi-line shell script. */
export const ShellScript = defineTask({
  types: ['io.kestra.plugin.scripts.shell.Script'],
  title: 'Run a shell script',
  kind: 'runnable',
  properties: (k) => ({
    script: k.string().describe('The script to run'),
    ...scriptProperties(k),
  }),
});
