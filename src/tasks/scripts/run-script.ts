import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { taskFailed } from '../../errors.js';
import { abortedError } from '../abort.js';
import type { RunProps } from '../props.js';
import type { TaskResult, TaskRunContext } from '../types.js';
import type { scriptProperties } from './common.js';
import { OutputCollector } from './output.js';
import { findExecutable, runProcess } from './process.js';
import { warnIgnoredProperties, writeInputFiles } from './script-setup.js';

export type ScriptProps = RunProps<typeof scriptProperties>;
export type ScriptLanguage = 'shell' | 'powershell';

/** What to run: a list of commands (Commands tasks) or one script (Script tasks). */
export type ScriptSource = { commands: string[] } | { script: string };

/** Kestra's defaults per language: the interpreter and the line that makes it stop at the first error. */
const LANGUAGES = {
  shell: { name: 'Shell', interpreter: ['/bin/sh', '-c'], failFast: 'set -e' },
  powershell: { name: 'PowerShell', interpreter: ['pwsh', '-NoProfile', '-NonInteractive', '-Command'], failFast: "$ErrorActionPreference = 'Stop'" },
} as const;

/**
 * Runs a script task as Kestra's process runner does: one interpreter invocation whose last
 * argument is the fail-fast line, `beforeCommands` and the commands joined by newlines, in
 * the task's working directory. Outputs Kestra's `exitCode` and `vars`, plus the line counts
 * Kestra computes but does not publish.
 */
export async function runScript(context: TaskRunContext, props: ScriptProps, language: ScriptLanguage, source: ScriptSource): Promise<TaskResult> {
  const spec = LANGUAGES[language];
  warnIgnoredProperties(context.log, props);
  await writeInputFiles(context.workingDirectory, props.inputFiles);
  const env: Record<string, string> = { ...context.processEnv, WORKING_DIR: context.workingDirectory };
  for (const [name, value] of Object.entries(props.env ?? {})) env[name] = String(value);

  const [command, ...args] = props.interpreter ?? spec.interpreter;
  if (command === undefined) throw taskFailed('interpreter: the list is empty', { retryable: false });
  const executable = await findExecutable(command, env.PATH);
  if (executable === undefined) {
    const what = language === 'powershell' ? `PowerShell is not installed on this worker (${command} is not on PATH)` : `the interpreter ${command} is not on PATH`;
    throw taskFailed(`${spec.name} task cannot run: ${what}`, { retryable: false });
  }

  // Kestra's shell tasks skip `set -e` for Windows targets; PowerShell always gets its own.
  const failFast = props.failFast && !(language === 'shell' && props.targetOS === 'WINDOWS') ? [spec.failFast] : [];
  const body = 'commands' in source ? source.commands : [await scriptBody(context.workingDirectory, language, source.script)];
  const separator = props.targetOS === 'WINDOWS' ? '\r\n' : '\n';
  const text = [...failFast, ...(props.beforeCommands ?? []), ...body].join(separator);

  const output = new OutputCollector(context.log);
  const result = await runProcess({
    command: executable,
    args: [...args, text],
    cwd: context.workingDirectory,
    env,
    signal: context.signal,
    onStdout: (chunk) => output.stdout(chunk),
    onStderr: (chunk) => output.stderr(chunk),
  });
  output.end();

  if (result.aborted) throw abortedError(`${spec.name} task`, context.signal);
  const outputs = { exitCode: result.exitCode, vars: output.vars, stdOutLineCount: output.stdOutLineCount, stdErrLineCount: output.stdErrLineCount };
  if (result.exitCode !== 0) {
    const ending = result.exitCode === null ? `was killed by ${result.signal}` : `failed with exit code ${result.exitCode}`;
    const tail = output.stderrTail();
    const quoted = tail.length === 0 ? '' : `\nLast lines on stderr:\n${tail.join('\n')}`;
    throw taskFailed(`${spec.name} command ${ending}${quoted}`, { details: { outputs } });
  }
  const warned = props.warningOnStdErr === true && output.stdErrLineCount > 0;
  return warned ? { outputs, warning: `${output.stdErrLineCount} line(s) written to stderr (warningOnStdErr)` } : { outputs };
}

/**
 * A shell script is passed inline, as Kestra does. A PowerShell script goes to a .ps1 file
 * (as Kestra writes it) so that `param()` blocks and `$PSScriptRoot` work.
 */
async function scriptBody(workingDirectory: string, language: ScriptLanguage, script: string): Promise<string> {
  if (language === 'shell') return script;
  const path = join(workingDirectory, `script-${randomUUID()}.ps1`);
  await writeFile(path, script);
  return `& '${path.replaceAll("'", "''")}'`;
}

