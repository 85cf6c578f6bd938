import { ODataError } from './lexer.js';
import type { Comparison, Expr } from './parser.js';

/**
 * Evaluation of a parsed `$filter` against one entity (plain JSON). Comparisons between
 * values of different types are false rather than errors: an entity lacking a field simply
 * does not match, as on the real API.
 */

type Scope = ReadonlyMap<string, unknown>;

export function matches(expr: Expr, item: unknown): boolean {
  return evaluate(expr, item, new Map()) === true;
}

/** Rejects paths whose first segment is not a field of the entity (a typo would match nothing). */
export function checkFields(expr: Expr, fields: ReadonlySet<string>, variables: ReadonlySet<string> = new Set()): void {
  switch (expr.kind) {
    case 'literal':
      return;
    case 'path': {
      const head = expr.segments[0]!;
      if (variables.has(head) || fields.has(head)) return;
      throw new ODataError('$filter', `unknown field '${expr.segments.join('/')}' at position ${expr.pos} (fields: ${[...fields].sort().join(', ')})`, expr.pos);
    }
    case 'compare':
    case 'logical':
      checkFields(expr.left, fields, variables);
      checkFields(expr.right, fields, variables);
      return;
    case 'in':
    case 'not':
      checkFields(expr.operand, fields, variables);
      return;
    case 'call':
      for (const arg of expr.args) checkFields(arg, fields, variables);
      return;
    case 'lambda':
      checkFields({ kind: 'path', segments: expr.collection, pos: expr.pos }, fields, variables);
      checkFields(expr.body, fields, new Set([...variables, expr.variable]));
      return;
  }
}

export function resolvePath(item: unknown, segments: readonly string[]): unknown {
  let current = item;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return current;
}

function evaluate(expr: Expr, item: unknown, scope: Scope): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path': {
      const head = expr.segments[0]!;
      if (scope.has(head)) return resolvePath(scope.get(head), expr.segments.slice(1));
      return resolvePath(item, expr.segments);
    }
    case 'compare':
      return compare(expr.op, evaluate(expr.left, item, scope), evaluate(expr.right, item, scope));
    case 'in': {
      const value = evaluate(expr.operand, item, scope);
      return expr.values.some((candidate) => compare('eq', value, candidate));
    }
    case 'logical': {
      const left = evaluate(expr.left, item, scope) === true;
      if (expr.op === 'and') return left && evaluate(expr.right, item, scope) === true;
      return left || evaluate(expr.right, item, scope) === true;
    }
    case 'not':
      return evaluate(expr.operand, item, scope) !== true;
    case 'call':
      return call(expr.name, expr.args.map((arg) => evaluate(arg, item, scope)));
    case 'lambda': {
      const collection = evaluate({ kind: 'path', segments: expr.collection, pos: expr.pos }, item, scope);
      const elements = Array.isArray(collection) ? collection : [];
      const test = (element: unknown) => evaluate(expr.body, item, new Map([...scope, [expr.variable, element]])) === true;
      return expr.quantifier === 'any' ? elements.some(test) : elements.every(test);
    }
  }
}

function call(name: Extract<Expr, { kind: 'call' }>['name'], args: unknown[]): unknown {
  const [first, second] = args;
  switch (name) {
    case 'startswith':
      return typeof first === 'string' && typeof second === 'string' && first.startsWith(second);
    case 'endswith':
      return typeof first === 'string' && typeof second === 'string' && first.endsWith(second);
    case 'contains':
      return typeof first === 'string' && typeof second === 'string' && first.includes(second);
    case 'tolower':
      return typeof first === 'string' ? first.toLowerCase() : undefined;
    case 'toupper':
      return typeof first === 'string' ? first.toUpperCase() : undefined;
    case 'length':
      return typeof first === 'string' || Array.isArray(first) ? first.length : undefined;
  }
}

function compare(op: Comparison, left: unknown, right: unknown): boolean {
  if (op === 'eq') return equal(left, right);
  if (op === 'ne') return !equal(left, right);
  const order = ordering(left, right);
  if (order === undefined) return false;
  switch (op) {
    case 'gt':
      return order > 0;
    case 'lt':
      return order < 0;
    case 'ge':
      return order >= 0;
    case 'le':
      return order <= 0;
  }
}

function equal(left: unknown, right: unknown): boolean {
  // A missing field equals null, as an absent property does in OData.
  const normalise = (value: unknown) => (value === undefined ? null : value);
  return normalise(left) === normalise(right);
}

/** Numbers numerically, strings (names, RFC 3339 times) by code point, booleans false < true. */
export function ordering(left: unknown, right: unknown): number | undefined {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  return undefined;
}
