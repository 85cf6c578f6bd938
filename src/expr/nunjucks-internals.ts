import nunjucks from 'nunjucks';

/**
 * Typed handles on the parts of nunjucks that its public typings do not cover: the parser,
 * the AST node classes, the lexer's token names and the runtime helpers the compiled
 * templates call. syntax.ts and sandbox.ts extend these; nothing else should touch them.
 */
export interface AstNode {
  typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  children?: AstNode[];
  [field: string]: unknown;
}

export type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => AstNode;

export interface ParserInstance {
  parseOr(): AstNode;
  parseIs(): AstNode;
  parseInlineIf(): AstNode;
  skipSymbol(name: string): boolean;
  skip(type: string): boolean;
  peekToken(): { type: string; value: string; lineno: number; colno: number } | null;
  fail(message: string, lineno?: number, colno?: number): never;
}

interface NunjucksInternals {
  parser: { Parser: { prototype: ParserInstance & Record<string, unknown> }; parse(src: string): AstNode };
  nodes: Record<
    | 'Symbol' | 'Literal' | 'NodeList' | 'FunCall' | 'InlineIf' | 'In' | 'Output' | 'TemplateData'
    | 'Filter' | 'Is' | 'For' | 'LookupVal' | 'Not',
    NodeClass
  >;
  lexer: { TOKEN_COLON: string };
  runtime: {
    memberLookup(obj: unknown, key: unknown): unknown;
    contextOrFrameLookup(context: NunjucksContext, frame: { lookup(name: string): unknown }, name: string): unknown;
    callWrap(fn: unknown, name: string, context: NunjucksContext, args: unknown[]): unknown;
  };
  lib: { TemplateError: new (...args: unknown[]) => Error };
}

/** The render context nunjucks passes as `this` to filters and global functions. */
export interface NunjucksContext {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

export const internals = nunjucks as unknown as NunjucksInternals;
export const { nodes } = internals;

export function symbol(at: AstNode, name: string): AstNode {
  return new nodes.Symbol(at.lineno, at.colno, name);
}

export function call(at: AstNode, name: string, args: AstNode[]): AstNode {
  return new nodes.FunCall(at.lineno, at.colno, symbol(at, name), new nodes.NodeList(at.lineno, at.colno, args));
}

export function literal(at: AstNode, value: unknown): AstNode {
  return new nodes.Literal(at.lineno, at.colno, value);
}

/**
 * The Pebble parser and the sandboxed runtime apply only inside `withPatchbay` (our own
 * compiles and renders, which are synchronous), so any other nunjucks user in the process
 * keeps stock behaviour.
 */
let patchbayActive = false;

export function withPatchbay<T>(body: () => T): T {
  const previous = patchbayActive;
  patchbayActive = true;
  try {
    return body();
  } finally {
    patchbayActive = previous;
  }
}

export const isPatchbayActive = (): boolean => patchbayActive;
