import { ODataError, type Token, describeToken, tokenize } from './lexer.js';

/**
 * Recursive-descent parser of `$filter` expressions (OData v4.01 subset):
 *   or  := and ('or' and)*
 *   and := not ('and' not)*
 *   not := 'not' not | cmp
 *   cmp := operand (('eq'|'ne'|'gt'|'lt'|'ge'|'le') operand | 'in' '(' literal, … ')')?
 *   operand := literal | '(' or ')' | func '(' args ')' | path ['/' ('any'|'all') '(' var ':' or ')']
 * `not` takes a whole comparison (`not name eq 'x'` means `not (name eq 'x')`), which is what
 * people mean when they write it, although strict OData binds `not` tighter.
 */

export const COMPARISONS = ['eq', 'ne', 'gt', 'lt', 'ge', 'le'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const FUNCTIONS = { startswith: 2, endswith: 2, contains: 2, tolower: 1, toupper: 1, length: 1 } as const;
export type FunctionName = keyof typeof FUNCTIONS;
export type Literal = string | number | boolean | null;

export type Expr =
  | { kind: 'literal'; value: Literal; pos: number }
  | { kind: 'path'; segments: string[]; pos: number }
  | { kind: 'compare'; op: Comparison; left: Expr; right: Expr; pos: number }
  | { kind: 'in'; operand: Expr; values: Literal[]; pos: number }
  | { kind: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'call'; name: FunctionName; args: Expr[]; pos: number }
  | { kind: 'lambda'; quantifier: 'any' | 'all'; collection: string[]; variable: string; body: Expr; pos: number };

const KEYWORDS = new Set<string>(['and', 'or', 'not', 'in', ...COMPARISONS]);

export function parseFilter(text: string): Expr {
  if (!text.trim()) throw new ODataError('$filter', 'the filter is empty', 1);
  const parser = new Parser(tokenize(text, '$filter'));
  const expr = parser.or();
  parser.expectEnd();
  if (expr.kind === 'literal' && typeof expr.value !== 'boolean') {
    throw new ODataError('$filter', `a filter must be a condition, not the value ${JSON.stringify(expr.value)} at position ${expr.pos}`, expr.pos);
  }
  return expr;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== 'eof') this.index += 1;
    return token;
  }

  private isWord(word: string, token = this.peek()): boolean {
    return token.type === 'ident' && token.value === word;
  }

  private fail(expected: string, token = this.peek()): never {
    throw new ODataError('$filter', `expected ${expected} at position ${token.pos}, found ${describeToken(token)}`, token.pos);
  }

  private expect(type: Token['type'], what: string): Token {
    const token = this.peek();
    if (token.type !== type) this.fail(what, token);
    return this.next();
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.type !== 'eof') this.fail("'and', 'or' or the end of the filter", token);
  }

  or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      const pos = this.next().pos;
      left = { kind: 'logical', op: 'or', left, right: this.and(), pos };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      const pos = this.next().pos;
      left = { kind: 'logical', op: 'and', left, right: this.not(), pos };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('not')) {
      const pos = this.next().pos;
      return { kind: 'not', operand: this.not(), pos };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.operand();
    const token = this.peek();
    if (token.type === 'ident' && (COMPARISONS as readonly string[]).includes(token.value)) {
      this.next();
      return { kind: 'compare', op: token.value as Comparison, left, right: this.operand(), pos: token.pos };
    }
    if (this.isWord('in')) {
      this.next();
      this.expect('(', "'(' after 'in'");
      const values: Literal[] = [this.literalValue()];
      while (this.peek().type === ',') {
        this.next();
        values.push(this.literalValue());
      }
      this.expect(')', "',' or ')' closing the 'in' list");
      return { kind: 'in', operand: left, values, pos: token.pos };
    }
    return left;
  }

  private literalValue(): Literal {
    const operand = this.operand();
    if (operand.kind !== 'literal') throw new ODataError('$filter', `expected a literal value at position ${operand.pos}`, operand.pos);
    return operand.value;
  }

  private operand(): Expr {
    const token = this.peek();
    switch (token.type) {
      case 'string':
      case 'number':
        this.next();
        return { kind: 'literal', value: token.value, pos: token.pos };
      case '(': {
        this.next();
        const inner = this.or();
        this.expect(')', "')'");
        return inner;
      }
      case 'ident':
        return this.identifier(token);
      default:
        return this.fail('a field, a value, a function or \'(\'', token);
    }
  }

  private identifier(token: Extract<Token, { type: 'ident' }>): Expr {
    const word = token.value;
    if (word === 'true' || word === 'false' || word === 'null') {
      this.next();
      return { kind: 'literal', value: word === 'null' ? null : word === 'true', pos: token.pos };
    }
    if (KEYWORDS.has(word)) this.fail('a field, a value, a function or \'(\'', token);
    this.next();
    if (this.peek().type === '(') {
      if (!(word in FUNCTIONS)) throw new ODataError('$filter', `unknown function '${word}' at position ${token.pos} (known: ${Object.keys(FUNCTIONS).join(', ')})`, token.pos);
      return this.call(word as FunctionName, token.pos);
    }
    const segments = [word];
    while (this.peek().type === '/') {
      this.next();
      const segment = this.expect('ident', 'a field name after \'/\'') as Extract<Token, { type: 'ident' }>;
      if ((segment.value === 'any' || segment.value === 'all') && this.peek().type === '(') {
        return this.lambda(segment.value, segments, token.pos);
      }
      segments.push(segment.value);
    }
    return { kind: 'path', segments, pos: token.pos };
  }

  private call(name: FunctionName, pos: number): Expr {
    this.expect('(', "'('");
    const args: Expr[] = [this.or()];
    while (this.peek().type === ',') {
      this.next();
      args.push(this.or());
    }
    this.expect(')', "',' or ')'");
    if (args.length !== FUNCTIONS[name]) {
      throw new ODataError('$filter', `${name}() at position ${pos} takes ${FUNCTIONS[name]} argument(s), got ${args.length}`, pos);
    }
    return { kind: 'call', name, args, pos };
  }

  private lambda(quantifier: 'any' | 'all', collection: string[], pos: number): Expr {
    this.expect('(', "'('");
    const variable = this.expect('ident', `a variable name in ${quantifier}(…)`) as Extract<Token, { type: 'ident' }>;
    this.expect(':', `':' after the variable of ${quantifier}(…)`);
    const body = this.or();
    this.expect(')', `')' closing ${quantifier}(…)`);
    return { kind: 'lambda', quantifier, collection, variable: variable.value, body, pos };
  }
}
