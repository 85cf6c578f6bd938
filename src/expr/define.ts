import { ErrorCode, PatchbayError } from '../errors.js';

/**
 * Filters and functions are declared with named parameters, as Pebble does, so a flow may
 * write either `date('yyyy-MM-dd')` or `date(format='yyyy-MM-dd')`. The adapters below map
 * nunjucks' positional arguments and keyword-argument object onto those names.
 */
export type ExprArgs = Record<string, unknown>;

/** What one render may reach beyond its context: secrets, the KV store, the clock. */
export interface RenderScope {
  /** Namespace of the flow being rendered (default namespace of `kv()`). */
  namespace?: string;
  /** Resolves `secret('NAME')`; undefined when the secret does not exist. */
  secret?: (name: string) => string | undefined;
  /**
   * Resolves `kv(key, namespace)`. Returns `{ found: false }` for a missing key. May throw
   * `NeedsData` when the value must first be fetched asynchronously (see render.ts).
   */
  kv?: (namespace: string, key: string) => { found: boolean; value?: unknown };
  /** Link to the execution (the Slack status message), filled in by the Slack layer. */
  appLink?: () => string | undefined;
  /** Clock, injectable for tests. */
  now?: () => Date;
  /** Every secret value revealed during the render, so callers can mask it. */
  revealedSecrets: Set<string>;
}

export interface ExprFilter {
  name: string;
  params: readonly string[];
  apply(input: unknown, args: ExprArgs, scope: RenderScope): unknown;
}

export interface ExprFunction {
  name: string;
  params: readonly string[];
  call(args: ExprArgs, scope: RenderScope): unknown;
}

export const defineFilter = (filter: ExprFilter): ExprFilter => filter;
export const defineFunction = (fn: ExprFunction): ExprFunction => fn;

interface KeywordArgs {
  __keywords: true;
  [name: string]: unknown;
}

const isKeywordArgs = (value: unknown): value is KeywordArgs =>
  typeof value === 'object' && value !== null && (value as { __keywords?: unknown }).__keywords === true;

/** Maps positional and keyword arguments onto the declared parameter names. */
export function bindArgs(kind: 'filter' | 'function', name: string, params: readonly string[], raw: unknown[]): ExprArgs {
  const args: ExprArgs = {};
  const last = raw[raw.length - 1];
  const positional = isKeywordArgs(last) ? raw.slice(0, -1) : raw;
  if (positional.length > params.length) {
    throw new PatchbayError(
      ErrorCode.EXPRESSION_EVAL,
      `${kind} \`${name}\` takes at most ${params.length} argument(s) (${params.join(', ') || 'none'}), got ${positional.length}`,
    );
  }
  positional.forEach((value, index) => {
    args[params[index] as string] = value;
  });
  if (isKeywordArgs(last)) {
    for (const [key, value] of Object.entries(last)) {
      if (key === '__keywords') continue;
      if (!params.includes(key)) {
        throw new PatchbayError(
          ErrorCode.EXPRESSION_EVAL,
          `${kind} \`${name}\` has no argument \`${key}\`; it takes: ${params.join(', ') || 'none'}`,
        );
      }
      args[key] = value;
    }
  }
  return args;
}

/** Raised by a filter or function when its input is of the wrong kind. */
export function exprError(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.EXPRESSION_EVAL, message);
}
