import { parse } from 'yaml';
import '../expr/environment.js';
import { type AstNode, internals, withPatchbay } from '../expr/nunjucks-internals.js';
import { normalizePebble } from '../expr/pebble-source.js';
import { ASSET_QUERY_PARAMS, parseAssetQuery, queryKey } from './query.js';
import type { AssetQuery } from './types.js';

/**
 * Static half of the `assets()` prefetch: the calls written with constant arguments —
 * `assets(type='io.kestra.plugin.ee.assets.VM.IP')`, the common case — are read from the
 * templates' syntax trees, so they are fetched before the first render and need no second
 * pass. A call whose arguments depend on the context (`assets(id=inputs.vm)`) is `dynamic`:
 * it is found by the recording pass (engine/render-scope.ts) instead.
 */
export interface AssetCalls {
  /** Distinct constant lookups. */
  constant: AssetQuery[];
  /** Some call has arguments known only while rendering. */
  dynamic: boolean;
}

const mentionsAssets = (text: string): boolean => /\bassets\s*\(/.test(text);

const DYNAMIC = Symbol('dynamic');

function constant(node: AstNode): unknown {
  switch (node.typename) {
    case 'Literal':
      return node['value'];
    case 'Array':
      return evaluateAll(node.children ?? []);
    case 'Dict': {
      const out: Record<string, unknown> = {};
      for (const pair of node.children ?? []) {
        const key = pair['key'] as AstNode;
        const name = key.typename === 'Symbol' || key.typename === 'Literal' ? key['value'] : DYNAMIC;
        const value = constant(pair['value'] as AstNode);
        if (typeof name !== 'string' || value === DYNAMIC) return DYNAMIC;
        out[name] = value;
      }
      return out;
    }
    default:
      return DYNAMIC;
  }
}

function evaluateAll(nodes: AstNode[]): unknown {
  const values = nodes.map(constant);
  return values.includes(DYNAMIC) ? DYNAMIC : values;
}

/** The query of one `assets(…)` call node, DYNAMIC, or undefined when the call is malformed (the render will say why). */
function callQuery(call: AstNode): AssetQuery | typeof DYNAMIC | undefined {
  const args: Record<string, unknown> = {};
  const list = ((call['args'] as AstNode | undefined)?.children ?? []) as AstNode[];
  let position = 0;
  for (const arg of list) {
    if (arg.typename === 'KeywordArgs') {
      for (const pair of arg.children ?? []) {
        const name = (pair['key'] as AstNode)['value'] as string;
        if (!(ASSET_QUERY_PARAMS as readonly string[]).includes(name)) return undefined;
        args[name] = constant(pair['value'] as AstNode);
      }
    } else {
      const name = ASSET_QUERY_PARAMS[position++];
      if (!name) return undefined;
      args[name] = constant(arg);
    }
  }
  if (Object.values(args).includes(DYNAMIC)) return DYNAMIC;
  try {
    return parseAssetQuery(args);
  } catch {
    return undefined;
  }
}

function visit(node: unknown, found: (call: AstNode) => void): void {
  if (!node || typeof node !== 'object' || !('typename' in node)) return;
  const ast = node as AstNode;
  if (ast.typename === 'FunCall' && (ast['name'] as AstNode).typename === 'Symbol' && (ast['name'] as AstNode)['value'] === 'assets') found(ast);
  for (const child of ast.children ?? []) visit(child, found);
  for (const field of ast.fields ?? []) visit(ast[field], found);
}

/** The `assets()` calls of one template. */
export function assetCallsInTemplate(template: string, into: AssetCalls = { constant: [], dynamic: false }): AssetCalls {
  if (!mentionsAssets(template)) return into;
  let root: AstNode;
  try {
    root = withPatchbay(() => internals.parser.parse(normalizePebble(template)));
  } catch {
    return into; // A syntax error is reported when the template is rendered.
  }
  const keys = new Set(into.constant.map(queryKey));
  visit(root, (call) => {
    const query = callQuery(call);
    if (query === DYNAMIC) into.dynamic = true;
    else if (query && !keys.has(queryKey(query))) {
      keys.add(queryKey(query));
      into.constant.push(query);
    }
  });
  return into;
}

function strings(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    if (mentionsAssets(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) strings(item, out);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      strings(key, out);
      strings(item, out);
    }
  }
}

const CACHE_LIMIT = 64;
const cache = new Map<string, AssetCalls>();

/** The `assets()` calls of a whole flow source (YAML), cached per source text. */
export function assetCallsInSource(source: string): AssetCalls {
  const cached = cache.get(source);
  if (cached) return cached;
  const calls: AssetCalls = { constant: [], dynamic: false };
  if (mentionsAssets(source)) {
    const templates: string[] = [];
    try {
      strings(parse(source), templates);
    } catch {
      // Not YAML (a bare template): treat the text itself as one.
      templates.push(source);
    }
    for (const template of templates) assetCallsInTemplate(template, calls);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, calls);
  return calls;
}
