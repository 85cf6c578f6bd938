import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type ParseResult, parseFlowSource, rejectDuplicateFlows } from './loader.js';

/**
 * Reads flows from files and folders: every `*.yaml` / `*.yml` below a folder, recursively,
 * in a stable (sorted) order so duplicate reports always name the same file first.
 */
const FLOW_FILE = /\.ya?ml$/i;

async function listFlowFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (info.isFile()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) files.push(...(await listFlowFiles(full)));
    else if (entry.isFile() && FLOW_FILE.test(entry.name)) files.push(full);
  }
  return files;
}

/** Loads flows from the given files or folders; paths in diagnostics are as given (relative stays relative). */
export async function loadFlows(targets: readonly string[]): Promise<ParseResult> {
  const combined: ParseResult = { flows: [], diagnostics: [] };
  for (const target of targets) {
    let files: string[];
    try {
      files = await listFlowFiles(target);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : String(error);
      combined.diagnostics.push({ file: target, line: 1, col: 1, message: reason });
      continue;
    }
    for (const file of files) {
      const parsed = parseFlowSource(await readFile(file, 'utf8'), file);
      combined.flows.push(...parsed.flows);
      combined.diagnostics.push(...parsed.diagnostics);
    }
  }
  return rejectDuplicateFlows(combined);
}
