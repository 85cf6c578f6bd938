import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../config.js';
import { formatDiagnostic } from '../flow/loader.js';
import { PatchbayService } from '../service/service.js';
import type { ExecutionView } from '../service/executions.js';
import { usageError } from './args.js';
import type { CliIo } from './io.js';

/** Shared plumbing of the commands that talk to the engine. */
/**
 * Commands that run tasks need a Nutanix endpoint (NUTANIX_HOST, else the built-in simulator):
 * `run` starts the simulator when none runs; a `worker` only uses one that runs.
 */
export async function openService(io: CliIo, options: { sync?: boolean; nutanix?: 'resolve' | 'running' } = {}): Promise<PatchbayService> {
  const service = await PatchbayService.open({ config: loadConfig(io.env, io.cwd), ...(options.nutanix ? { nutanix: options.nutanix } : {}) });
  if (options.sync !== false) {
    const problems = await service.syncFlows();
    for (const problem of problems) io.stderr.write(`warning: ${formatDiagnostic(problem)} (flow not loaded)\n`);
  }
  return service;
}

/** The acting user: `--as`, else the login name. */
export function actor(io: CliIo, as: string | undefined): string {
  return as ?? io.env.PATCHBAY_USER ?? io.env.USER ?? 'cli';
}

/** `KEY=VALUE` pairs (values stay text; the flow's input types coerce them). */
export function parsePairs(pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError(`expected KEY=VALUE, got \`${pair}\``);
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}

/** Inputs from a JSON or YAML map file (`--file`). */
export async function readInputsFile(io: CliIo, file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch {
    throw usageError(`cannot read --file ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw usageError(`--file ${file} is not valid JSON or YAML: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw usageError(`--file ${file} must hold a map of input values`);
  return parsed as Record<string, unknown>;
}

const SYMBOL: Record<string, string> = { SUCCESS: '✓', WARNING: '!', FAILED: '✗', KILLED: '✗', SKIPPED: '-', PAUSED: '‖', RUNNING: '…', CREATED: '·', RETRYING: '↻' };

function duration(start: string | null, end: string | null): string {
  if (!start || !end) return '';
  const ms = Date.parse(end) - Date.parse(start);
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** Task runs depth first (each parent followed by its children), siblings in creation order. */
function treeOrder(runs: ExecutionView['taskRuns']): { run: ExecutionView['taskRuns'][number]; level: number }[] {
  const children = new Map<string | null, ExecutionView['taskRuns']>();
  for (const run of runs) children.set(run.parentTaskRunId, [...(children.get(run.parentTaskRunId) ?? []), run]);
  const ordered: { run: ExecutionView['taskRuns'][number]; level: number }[] = [];
  const visit = (parent: string | null, level: number) => {
    for (const run of children.get(parent) ?? []) {
      ordered.push({ run, level });
      visit(run.id, level + 1);
    }
  };
  visit(null, 0);
  return ordered;
}

/** The execution as text (or JSON with --json) on stdout. */
export function printExecution(io: CliIo, view: ExecutionView, json: boolean): void {
  if (json) {
    const { id, namespace, flowId, state, inputs, outputs } = view;
    const taskRuns = view.taskRuns.map(({ id: runId, taskId, parentTaskRunId, value, state: runState, attempts, outputs: runOutputs, error }) => ({
      id: runId, taskId, parentTaskRunId, value, state: runState, attempts, outputs: runOutputs, ...(error ? { error } : {}),
    }));
    io.stdout.write(`${JSON.stringify({ id, namespace, flowId, state, inputs, outputs, error: view.error, taskRuns })}\n`);
    return;
  }
  io.stdout.write(`execution ${view.id} ${view.namespace}.${view.flowId} → ${view.state} ${duration(view.createdAt, view.endedAt)}\n`);
  for (const { run, level } of treeOrder(view.taskRuns)) {
    const label = `${'  '.repeat(level + 1)}${SYMBOL[run.state] ?? '?'} ${run.taskId}${run.value !== null ? ` [${run.value}]` : ''}`;
    io.stdout.write(`${label.padEnd(40)} ${run.state.padEnd(8)} ${duration(run.startedAt, run.endedAt)}${run.error ? `  ${run.error}` : ''}\n`);
  }
  if (view.outputs && Object.keys(view.outputs).length > 0) io.stdout.write(`outputs: ${JSON.stringify(view.outputs)}\n`);
  if (view.error) io.stdout.write(`error: ${view.error}\n`);
}
