import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { scriptProperties } from './common.js';
import { runScript } from './run-script.js';

const properties = (k: PropKit) => ({
  script: k.string().describe('The script to run'),
  ...scriptProperties(k),
});

/** Runs a multi-line shell script as a local child process; outputs `exitCode` and `vars`. */
export const ShellScript = defineTask({
  types: ['io.kestra.plugin.scripts.shell.Script'],
  title: 'Run a shell script',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    return runScript(context, props, 'shell', { script: props.script });
  },
});
