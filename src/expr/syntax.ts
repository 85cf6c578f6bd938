import { type AstNode, call, internals, isPatchbayActive, literal, nodes } from './nunjucks-internals.js';

/**
 * Pebble syntax on top of the nunjucks parser.
 *
 * nunjucks exposes its recursive-descent parser as a class; we extend two of its levels and
 * rewrite the finished tree, instead of forking it:
 * - `c ? a : b` (ternary) and `a ?? b` / `a ??? b` (null / undefined coalescing, right
 *   associative, lazily evaluated) at the lowest precedence, like Pebble;
 * - `a contains b` beside `in`;
 * - strict variables as Kestra has them: a missing variable is an error, except where the
 *   flow author asked about it (`??`, `???`, `| default`, `is defined`, `is null`, `is empty`),
 *   which are evaluated in "soft" mode (see sandbox.ts);
 * - `loop.index` / `loop.revindex` are zero-based in Pebble;
 * - `{% for x in map %}` iterates `{key, value}` entries as Pebble does;
 * - every `{{ … }}` goes through `__pb_out`, which prints maps and lists as JSON and lets the
 *   typed renderer capture the raw value.
 *
 * The patch is installed once per process and is active only inside `withPatchbay`, so
 * other nunjucks users in the process parse as usual.
 */
const SOFT_TESTS = new Set(['defined', 'undefined', 'null', 'none', 'empty']);
let installed = false;

export function installPebbleSyntax(): void {
  if (installed) return;
  installed = true;
  const proto = internals.parser.Parser.prototype;
  const parseIs = proto.parseIs;
  const parseInlineIf = proto.parseInlineIf;
  const parseAsRoot = proto['parseAsRoot'] as (this: unknown) => AstNode;

  proto.parseInlineIf = function parsePebbleInlineIf(this: typeof proto): AstNode {
    if (!isPatchbayActive()) return parseInlineIf.call(this);
    const node = parseCoalesce(this);
    if (this.skipSymbol('?')) {
      const body = this.parseInlineIf();
      if (!this.skip(internals.lexer.TOKEN_COLON)) {
        this.fail('expected `:` after the `?` of a ternary `condition ? a : b`', node.lineno, node.colno);
      }
      return new nodes.InlineIf(node.lineno, node.colno, node, body, this.parseInlineIf());
    }
    if (this.skipSymbol('if')) {
      // nunjucks' own `a if cond else b` keeps working.
      const cond = this.parseOr();
      const otherwise = this.skipSymbol('else') ? this.parseOr() : null;
      return new nodes.InlineIf(node.lineno, node.colno, cond, node, otherwise);
    }
    return node;
  };

  proto.parseIs = function parsePebbleIs(this: typeof proto): AstNode {
    let node = parseIs.call(this);
    if (!isPatchbayActive()) return node;
    while (this.skipSymbol('contains')) node = call(node, '__pb_contains', [node, parseIs.call(this)]);
    return node;
  };

  proto['parseAsRoot'] = function parsePebbleRoot(this: unknown): AstNode {
    const root = parseAsRoot.call(this);
    return isPatchbayActive() ? rewrite(root) : root;
  };
}

function parseCoalesce(parser: typeof internals.parser.Parser.prototype): AstNode {
  const left = parser.parseOr();
  const operator = parser.skipSymbol('??') ? '__pb_present' : parser.skipSymbol('???') ? '__pb_defined' : null;
  if (!operator) return left;
  const right = parseCoalesce(parser);
  // Lazy: the right side is evaluated (strictly) only when the left is missing.
  return new nodes.InlineIf(left.lineno, left.colno, call(left, operator, [soft(left)]), soft(left), right);
}

/** Evaluates `node` with missing variables read as undefined instead of raising. */
function soft(node: AstNode): AstNode {
  return call(node, '__pb_soft', [call(node, '__pb_soft_on', []), node, call(node, '__pb_soft_off', [])]);
}

function testName(right: AstNode): string | undefined {
  if (right.typename === 'Symbol') return right['value'] as string;
  const name = right['name'] as AstNode | undefined;
  return name?.typename === 'Symbol' ? (name['value'] as string) : undefined;
}

function rewrite(node: AstNode): AstNode {
  if (node.children) node.children = node.children.map((child) => rewrite(child));
  for (const field of node.fields) {
    const value = node[field];
    if (value && typeof value === 'object' && 'typename' in value) node[field] = rewrite(value as AstNode);
  }
  return rewriteNode(node);
}

function rewriteNode(node: AstNode): AstNode {
  switch (node.typename) {
    case 'Output':
      node.children = (node.children ?? []).map((child) =>
        child.typename === 'TemplateData' ? child : call(child, '__pb_out', [child]),
      );
      return node;
    case 'Filter': {
      const name = (node['name'] as AstNode)['value'];
      const args = node['args'] as AstNode;
      if (name === 'default' && args.children?.[0]) args.children[0] = soft(args.children[0]);
      return node;
    }
    case 'Is': {
      const name = testName(node['right'] as AstNode);
      if (name && SOFT_TESTS.has(name)) node['left'] = soft(node['left'] as AstNode);
      return node;
    }
    case 'LookupVal': {
      const target = node['target'] as AstNode;
      const key = node['val'] as AstNode;
      const isLoop = target.typename === 'Symbol' && target['value'] === 'loop' && key.typename === 'Literal';
      if (isLoop && (key['value'] === 'index' || key['value'] === 'revindex')) {
        node['val'] = literal(key, `${key['value'] as string}0`);
      }
      return node;
    }
    case 'For':
      if ((node['name'] as AstNode).typename === 'Symbol') node['arr'] = call(node, '__pb_iter', [node['arr'] as AstNode]);
      return node;
    default:
      return node;
  }
}
