import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { taskFailed } from '../../errors.js';
import type { TaskLogger } from '../types.js';

// Kestra's process task runner: the one runner Patchbay really is.
const PROCESS_RUNNER = 'io.kestra.plugin.core.runner.Process';

export interface RunnerProps {
  taskRunner?: { type: string };
  containerImage?: string;
  runner?: 'PROCESS' | 'DOCKER';
  docker?: { image?: string };
  outputFiles?: string[];
  outputDirectory?: boolean;
  namespaceFiles?: { enabled?: boolean };
}

/**
 * Patchbay runs every script as a local process on the worker and keeps no file storage.
 * A flow written for Kestra's Docker runner or output files still runs, and says in its log
 * what was not honoured rather than failing on it.
 */
export function warnIgnoredProperties(log: TaskLogger, props: RunnerProps): void {
  const container: string[] = [];
  if (props.taskRunner !== undefined && props.taskRunner.type !== PROCESS_RUNNER) container.push(`taskRunner ${props.taskRunner.type}`);
  if (props.runner === 'DOCKER') container.push('runner DOCKER');
  if (props.docker !== undefined) container.push('docker');
  if (props.containerImage !== undefined) container.push(`containerImage ${props.containerImage}`);
  if (container.length > 0) {
    log.warn(`Patchbay runs this script as a local process on the worker, not in a container: ${container.join(', ')} ignored`);
  }
  const storage: string[] = [];
  if (props.outputFiles !== undefined && props.outputFiles.length > 0) storage.push('outputFiles');
  if (props.outputDirectory === true) storage.push('outputDirectory');
  if (props.namespaceFiles !== undefined && props.namespaceFiles.enabled !== false) storage.push('namespaceFiles');
  if (storage.length > 0) log.warn(`Patchbay keeps no file storage: ${storage.join(', ')} ignored`);
}

/**
 * Writes `inputFiles` (a map of relative path to content, or that map as JSON text) into the
 * working directory. Paths must stay inside it, as Kestra requires.
 */
export async function writeInputFiles(workingDirectory: string, inputFiles: Record<string, string> | string | undefined): Promise<void> {
  if (inputFiles === undefined) return;
  const files = typeof inputFiles === 'string' ? parseFileMap(inputFiles) : inputFiles;
  for (const [name, content] of Object.entries(files)) {
    if (name.startsWith('/') || name.startsWith('./') || name.split('/').includes('..')) {
      throw taskFailed(`inputFiles: '${name}' must be a relative path inside the working directory`, { retryable: false });
    }
    const path = join(workingDirectory, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

function parseFileMap(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw taskFailed('inputFiles: expected a map of file names to contents, or that map as JSON', { retryable: false });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw taskFailed('inputFiles: the JSON must be an object of file names to text contents', { retryable: false });
  }
  return parsed as Record<string, string>;
}
