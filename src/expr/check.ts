import { environment } from './environment.js';
import { type AstNode, internals, withPatchbay } from './nunjucks-internals.js';
import { normalizePebble } from './pebble-source.js';
import { closest } from '../flow/suggest.js';

/**
 * Load-time check of one template: syntax, unknown filters, unknown functions and method
 * calls on values. `patchbay validate` reports these with the flow file's line and column,
 * so a typo is caught before the 2 a.m. run instead of during it.
 */
const registry = environment as unknown as { filters: Record<string, unknown>; globals: Record<string, unknown>; tests: Record<string, unknown> };

function collect(node: unknown, out: AstNode[]): void {
  if (!node || typeof node !== 'object' || !('typename' in node)) return;
  const ast = node as AstNode;
  out.push(ast);
  for (const child of ast.children ?? []) collect(child, out);
  for (const field of ast.fields ?? []) collect(ast[field], out);
}

function publicNames(names: Record<string, unknown>): string[] {
  return Object.keys(names).filter((name) => !name.startsWith('__pb_'));
}

/** Returns the problems found in `template` (empty when it is fine). */
export function checkTemplate(template: string): string[] {
  let root: AstNode;
  try {
    root = withPatchbay(() => internals.parser.parse(normalizePebble(template)));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [`expression syntax error: ${message.replace(/^\(unknown path\)\s*/, '').replace(/^parse\w*: /, '').trim()}`];
  }
  const problems: string[] = [];
  const nodes: AstNode[] = [];
  collect(root, nodes);
  for (const node of nodes) {
    if (node.typename === 'Filter' || node.typename === 'FilterAsync') {
      const name = (node['name'] as AstNode)['value'] as string;
      if (!(name in registry.filters)) problems.push(unknown('filter', name, publicNames(registry.filters)));
    } else if (node.typename === 'FunCall') {
      const callee = node['name'] as AstNode;
      if (callee.typename !== 'Symbol') {
        problems.push('only built-in functions can be called; calling a method on a value is not allowed');
      } else if (!Object.hasOwn(registry.globals, callee['value'] as string)) {
        problems.push(unknown('function', callee['value'] as string, publicNames(registry.globals)));
      }
    } else if (node.typename === 'Is') {
      const right = node['right'] as AstNode;
      const name = (right.typename === 'Symbol' ? right['value'] : (right['name'] as AstNode | undefined)?.['value']) as string | undefined;
      if (name && !(name in registry.tests)) problems.push(unknown('test', name, Object.keys(registry.tests)));
    } else if (['Include', 'Import', 'FromImport', 'Extends', 'Macro', 'Caller', 'CallExtension'].includes(node.typename)) {
      problems.push(`\`${node.typename.toLowerCase()}\` is not available in flow expressions`);
    }
  }
  return [...new Set(problems)];
}

function unknown(kind: string, name: string, known: string[]): string {
  const hint = closest(name, known);
  return `unknown ${kind} \`${name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`;
}
