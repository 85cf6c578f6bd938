import { LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { flowSchema } from './flow-schema.js';
import { semanticProblems } from './flow-checks.js';
import { type Flow, toFlow } from './model.js';
import { applyPluginDefaults } from './plugin-defaults.js';
import { type SourcePosition, SourceMap } from './positions.js';
import { closest } from './suggest.js';
import { knownKeysAt } from './zod-paths.js';

/**
 * YAML text → typed flows, or diagnostics that point at the offending node. Nothing is
 * half-loaded: a document with any error yields no flow.
 */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface LoadedFlow {
  flow: Flow;
  file: string;
  /** The document's own text: stored as the flow revision's source. */
  source: string;
  /** Where the document's `id` stands (for duplicate reports). */
  idPosition: SourcePosition;
}

export interface ParseResult {
  flows: LoadedFlow[];
  diagnostics: Diagnostic[];
}

export const formatDiagnostic = (d: Diagnostic): string => `${d.file}:${d.line}:${d.col}: ${d.message}`;

/** The most useful message of a zod issue; unions report their first (typed) alternative. */
function reason(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const first = issue.errors[0]?.[0];
    if (first) {
      const missing = first.message.includes('received undefined');
      if (missing) return 'required property is missing';
      const templated = issue.errors.some((alternative) => alternative.some((inner) => inner.message.includes('{{ expression }}')));
      return `${reason(first)}${templated ? ' (or a {{ expression }})' : ''}`;
    }
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return 'required property is missing';
  return issue.message.replace(/^Invalid input: /, '');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `\`${issue.path.map(String).join('.')}\`: ` : '';
  if (issue.code === 'custom' && /^`|^(unknown|every|a |give|authMethod|duplicate)/.test(issue.message)) return issue.message;
  return `${where}${reason(issue)}`;
}

/** Parses every YAML document of one file into flows. */
export function parseFlowSource(text: string, file: string): ParseResult {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const result: ParseResult = { flows: [], diagnostics: [] };
  const docs = Array.isArray(documents) ? documents : [];
  if (!Array.isArray(documents)) {
    result.diagnostics.push({ file, line: 1, col: 1, message: 'the file holds no YAML document' });
  }
  for (const doc of docs) {
    const before = result.diagnostics.length;
    for (const error of doc.errors) {
      const at = lineCounter.linePos(error.pos[0]);
      result.diagnostics.push({ file, line: at.line, col: at.col, message: `YAML: ${error.message.split('\n')[0]}` });
    }
    if (result.diagnostics.length > before) continue;
    const start = doc.range[0];
    const map = new SourceMap(doc, lineCounter, start);
    const raw = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (raw === null || raw === undefined) continue; // an empty document (e.g. a trailing `---`)
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      const at = map.locate([]);
      result.diagnostics.push({ file, ...at, message: 'a flow is a YAML map with `id`, `namespace` and `tasks`' });
      continue;
    }
    const withDefaults = applyPluginDefaults(raw as Record<string, unknown>);
    const parsed = flowSchema.safeParse(withDefaults);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          const known = knownKeysAt(flowSchema, issue.path as PropertyKey[]);
          for (const key of issue.keys) {
            const hint = closest(key, known);
            const message = `unknown property \`${key}\`${hint ? `; did you mean \`${hint}\`?` : ''}`;
            result.diagnostics.push({ file, ...map.locate([...(issue.path as PropertyKey[]), key], true), message });
          }
          continue;
        }
        const atKey = issue.code === 'custom' && (issue.params as { atKey?: boolean } | undefined)?.atKey === true;
        result.diagnostics.push({ file, ...map.locate(issue.path as PropertyKey[], atKey), message: issueMessage(issue) });
      }
      continue;
    }
    const problems = semanticProblems(parsed.data, withDefaults);
    for (const problem of problems) {
      result.diagnostics.push({ file, ...map.locate(problem.path, problem.atKey), message: problem.message });
    }
    if (problems.length > 0) continue;
    // A document's text, without the `---` that separates it from the previous one.
    const source = text.slice(start, doc.range[2]).replace(/^---[^\n]*\n/, '');
    result.flows.push({ flow: toFlow(parsed.data), file, source, idPosition: map.locate(['id']) });
  }
  return result;
}

/** Keeps the first flow of each `namespace.id` and reports the others at their `id`. */
export function rejectDuplicateFlows(result: ParseResult): ParseResult {
  const seen = new Map<string, LoadedFlow>();
  const flows: LoadedFlow[] = [];
  const diagnostics = [...result.diagnostics];
  for (const loaded of result.flows) {
    const key = `${loaded.flow.namespace}.${loaded.flow.id}`;
    const first = seen.get(key);
    if (first) {
      diagnostics.push({
        file: loaded.file,
        ...loaded.idPosition,
        message: `flow ${key} is already defined at ${first.file}:${first.idPosition.line}:${first.idPosition.col}`,
      });
      continue;
    }
    seen.set(key, loaded);
    flows.push(loaded);
  }
  return { flows, diagnostics };
}
