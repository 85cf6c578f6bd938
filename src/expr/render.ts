import nunjucks from 'nunjucks';
import { ErrorCode, PatchbayError, isPatchbayError } from '../errors.js';
import type { RenderScope } from './define.js';
import { capture, environment } from './environment.js';
import { withPatchbay } from './nunjucks-internals.js';
import { normalizePebble } from './pebble-source.js';
import { SCOPE_KEY, resetSoftMode, takeLastRaised } from './sandbox.js';

/**
 * Rendering entry points. Templates come from flow files only: every value that reaches a
 * template through `context` (inputs, resume forms, outputs) is data and is never rendered
 * again, whatever it contains.
 */
export type ExprContext = Record<string, unknown>;

export function createScope(partial: Omit<Partial<RenderScope>, 'revealedSecrets'> = {}): RenderScope {
  return { ...partial, revealedSecrets: new Set<string>() };
}

/** Quick test used everywhere a value may or may not be a template. */
export function hasTemplate(value: string): boolean {
  return value.includes('{{') || value.includes('{%') || value.includes('{#');
}

/** `{{ … }}` and nothing else (surrounding blanks aside): such a property keeps its type. */
export function isSingleExpression(template: string): boolean {
  const trimmed = template.trim();
  return (
    trimmed.startsWith('{{') &&
    trimmed.endsWith('}}') &&
    trimmed.indexOf('{{', 2) === -1 &&
    trimmed.indexOf('}}') === trimmed.length - 2 &&
    !trimmed.includes('{%')
  );
}

const CACHE_LIMIT = 2000;
const compiled = new Map<string, nunjucks.Template>();

function compile(template: string): nunjucks.Template {
  const cached = compiled.get(template);
  if (cached) return cached;
  const result = withPatchbay(() => new nunjucks.Template(normalizePebble(template), environment, undefined, true));
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
  compiled.set(template, result);
  return result;
}

function snippet(template: string): string {
  const oneLine = template.replace(/\s+/g, ' ').trim();
  return oneLine.length > 160 ? `${oneLine.slice(0, 157)}...` : oneLine;
}

interface NunjucksError extends Error {
  cause?: unknown;
  lineno?: number;
  colno?: number;
}

/** Turns whatever nunjucks threw into a PatchbayError naming the expression and the reason. */
function explain(error: unknown, template: string): PatchbayError {
  let root: unknown = error;
  while (root && typeof root === 'object' && 'cause' in root && (root as NunjucksError).cause && !isPatchbayError(root)) {
    root = (root as NunjucksError).cause;
  }
  const where = error as NunjucksError;
  const position = where.lineno ? ` (line ${where.lineno}, column ${where.colno ?? 0})` : '';
  if (isPatchbayError(root)) {
    return new PatchbayError(root.code, `${root.message} in \`${snippet(template)}\`${position}`, {
      cause: root,
      details: { ...root.details, template },
    });
  }
  const raw = root instanceof Error ? root.message : String(root);
  // nunjucks prefixes messages with "(unknown path) [Line 1, Column 5]\n  Error: …" and parse* names.
  const reason = raw
    .replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/s, '')
    .replace(/^\s*(Template render error:|Error:)\s*/i, '')
    .replace(/^parse\w*: /, '')
    .trim();
  const syntax = /unexpected|expected|unknown block tag|unexpected token|end of file|filter not found|unable to parse/i.test(raw);
  return new PatchbayError(
    syntax ? ErrorCode.EXPRESSION_SYNTAX : ErrorCode.EXPRESSION_EVAL,
    `${reason} in \`${snippet(template)}\`${position}`,
    { cause: error, details: { template } },
  );
}

function run(template: string, context: ExprContext, scope: RenderScope): string {
  resetSoftMode();
  takeLastRaised();
  try {
    return withPatchbay(() => compile(template).render({ ...context, [SCOPE_KEY]: scope }));
  } catch (error) {
    const raised = takeLastRaised();
    const located = error as NunjucksError;
    if (isPatchbayError(raised) && located && typeof located === 'object') {
      // Keep nunjucks' position but the helper's own error (and its code).
      throw explain(Object.assign(new Error(raised.message), { cause: raised, lineno: located.lineno, colno: located.colno }), template);
    }
    throw explain(error, template);
  }
}

/** Renders a template to text. */
export function renderString(template: string, context: ExprContext, scope: RenderScope): string {
  if (!hasTemplate(template)) return template;
  return run(template, context, scope);
}

/** Renders a template; a single `{{ expression }}` returns its value with its type. */
export function renderTyped(template: string, context: ExprContext, scope: RenderScope): unknown {
  if (!hasTemplate(template)) return template;
  if (!isSingleExpression(template)) return run(template, context, scope);
  capture.armed = true;
  capture.value = undefined;
  try {
    run(template, context, scope);
    return capture.value === undefined ? null : capture.value;
  } finally {
    capture.armed = false;
    capture.value = undefined;
  }
}

/**
 * Renders every string inside a property value (objects and lists walked recursively).
 * Keys are rendered too, as Kestra does for maps. Rendered output is never re-rendered.
 */
export function renderDeep(value: unknown, context: ExprContext, scope: RenderScope): unknown {
  if (typeof value === 'string') return renderTyped(value, context, scope);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, context, scope));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[renderString(key, context, scope)] = renderDeep(item, context, scope);
    return out;
  }
  return value;
}
