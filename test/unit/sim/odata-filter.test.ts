import { describe, expect, it } from 'vitest';
import { checkFields, matches } from '../../../src/sim/odata/evaluate.js';
import { ODataError, tokenize } from '../../../src/sim/odata/lexer.js';
import { parseFilter } from '../../../src/sim/odata/parser.js';

const web = {
  name: 'prod-web-01',
  powerState: 'ON',
  memorySizeBytes: 4294967296,
  numSockets: 2,
  isAgentVm: false,
  cluster: { extId: 'c-1' },
  categories: [{ extId: 'cat-prod' }, { extId: 'cat-web' }],
  description: "it's live",
};
const db = { name: 'finance-db-01', powerState: 'OFF', memorySizeBytes: 34359738368, numSockets: 8, isAgentVm: false, cluster: { extId: 'c-1' }, categories: [{ extId: 'cat-prod' }] };
const scratch = { name: 'scratch', powerState: 'OFF', numSockets: 1, cluster: { extId: 'c-2' }, categories: [] };
const all = [web, db, scratch];

function names(filter: string): string[] {
  const expr = parseFilter(filter);
  return all.filter((item) => matches(expr, item)).map((item) => item.name);
}

function filterError(filter: string): ODataError {
  try {
    parseFilter(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataError);
    return error as ODataError;
  }
  throw new Error(`'${filter}' parsed`);
}

describe('$filter lexer', () => {
  it('reads strings with doubled quotes, negative and decimal numbers, typed enum literals', () => {
    const tokens = tokenize("name eq 'it''s' and x gt -1.5e2 and powerState eq Vmm.Ahv.Config.PowerState'ON'");
    expect(tokens.filter((token) => token.type === 'string').map((token) => (token as { value: string }).value)).toEqual(["it's", 'ON']);
    expect(tokens.find((token) => token.type === 'number')).toMatchObject({ value: -150, pos: 26 });
  });

  it('reports an unterminated string with its start position', () => {
    expect(() => tokenize("name eq 'abc")).toThrow(/unterminated string starting at position 9/);
  });

  it('rejects stray characters', () => {
    expect(() => tokenize('name == 1')).toThrow(/unexpected character '=' at position 6/);
  });
});

describe('$filter comparisons', () => {
  it.each([
    ["name eq 'prod-web-01'", ['prod-web-01']],
    ["powerState ne 'ON'", ['finance-db-01', 'scratch']],
    ['numSockets gt 1', ['prod-web-01', 'finance-db-01']],
    ['numSockets ge 2', ['prod-web-01', 'finance-db-01']],
    ['numSockets lt 2', ['scratch']],
    ['numSockets le 2', ['prod-web-01', 'scratch']],
    ['memorySizeBytes gt 8589934592', ['finance-db-01']],
    ["name gt 'p'", ['prod-web-01', 'scratch']],
    ['isAgentVm eq false', ['prod-web-01', 'finance-db-01']],
    ['memorySizeBytes eq null', ['scratch']],
    ["cluster/extId eq 'c-2'", ['scratch']],
    ["powerState eq Vmm.Ahv.Config.PowerState'ON'", ['prod-web-01']],
    ["description eq 'it''s live'", ['prod-web-01']],
    ["name in ('scratch', 'prod-web-01')", ['prod-web-01', 'scratch']],
  ])('%s', (filter, expected) => {
    expect(names(filter)).toEqual(expected);
  });

  it('treats values of different types as unequal rather than failing', () => {
    expect(names("numSockets eq '2'")).toEqual([]);
    expect(names("numSockets gt 'a'")).toEqual([]);
  });
});

describe('$filter logic and precedence', () => {
  it.each([
    ["powerState eq 'OFF' and numSockets gt 4", ['finance-db-01']],
    ["powerState eq 'ON' or numSockets gt 4", ['prod-web-01', 'finance-db-01']],
    // and binds tighter than or
    ["name eq 'scratch' or powerState eq 'ON' and numSockets eq 8", ['scratch']],
    ["(name eq 'scratch' or powerState eq 'ON') and numSockets eq 2", ['prod-web-01']],
    ["not powerState eq 'ON'", ['finance-db-01', 'scratch']],
    ["not (powerState eq 'ON' or name eq 'scratch')", ['finance-db-01']],
    ["not not powerState eq 'ON'", ['prod-web-01']],
    ['isAgentVm', []],
  ])('%s', (filter, expected) => {
    expect(names(filter)).toEqual(expected);
  });
});

describe('$filter functions and lambdas', () => {
  it.each([
    ["startswith(name,'prod')", ['prod-web-01']],
    ["endswith(name, '-01')", ['prod-web-01', 'finance-db-01']],
    ["contains(name,'db')", ['finance-db-01']],
    ["contains(tolower(name),'WEB') or toupper(name) eq 'SCRATCH'", ['scratch']],
    ['length(name) eq 7', ['scratch']],
    ["categories/any(c: c/extId eq 'cat-web')", ['prod-web-01']],
    ["categories/any(c: c/extId eq 'cat-prod') and powerState eq 'OFF'", ['finance-db-01']],
    ["categories/all(c: c/extId eq 'cat-prod')", ['finance-db-01', 'scratch']],
    ["not categories/any(c: c/extId eq 'cat-prod')", ['scratch']],
  ])('%s', (filter, expected) => {
    expect(names(filter)).toEqual(expected);
  });

  it('a lambda body may use the outer entity too', () => {
    expect(names("categories/any(c: c/extId eq 'cat-prod' and numSockets eq 8)")).toEqual(['finance-db-01']);
  });
});

describe('$filter syntax errors name the position and token', () => {
  it.each([
    ["name eq", /expected a field, a value, a function or '\(' at position 8, found the end of the filter/],
    ["name eq 'a' and", /at position 16, found the end of the filter/],
    ["name 'a'", /expected 'and', 'or' or the end of the filter at position 6, found 'a'/],
    ["(name eq 'a'", /expected '\)' at position 13/],
    ["name eq 'a')", /at position 12, found '\)'/],
    ["startswith(name)", /startswith\(\) at position 1 takes 2 argument\(s\), got 1/],
    ["upper(name) eq 'A'", /unknown function 'upper' at position 1/],
    ["categories/any(c c/extId eq 'x')", /expected ':' after the variable of any/],
    ["eq 'a'", /at position 1, found 'eq'/],
    ["'text'", /a filter must be a condition/],
    ['', /the filter is empty/],
    ["name in 'a'", /expected '\(' after 'in' at position 9/],
  ])('%s', (filter, pattern) => {
    const error = filterError(filter);
    expect(error.message).toMatch(/^\$filter: /);
    expect(error.message).toMatch(pattern);
  });

  it('keeps the position on the error for machine use', () => {
    expect(filterError("name eq 'a' xor").position).toBe(13);
  });
});

describe('checkFields', () => {
  const fields = new Set(['name', 'powerState', 'categories', 'cluster']);

  it('accepts known fields, nested paths and lambda variables', () => {
    expect(() => checkFields(parseFilter("cluster/extId eq 'x' and categories/any(c: c/extId eq 'y')"), fields)).not.toThrow();
  });

  it('rejects an unknown field with its position', () => {
    expect(() => checkFields(parseFilter("name eq 'a' and nmae eq 'b'"), fields)).toThrow(/unknown field 'nmae' at position 17/);
  });

  it('does not let a lambda variable leak outside its lambda', () => {
    expect(() => checkFields(parseFilter("categories/any(c: c/extId eq 'y') and c/extId eq 'z'"), fields)).toThrow(/unknown field 'c\/extId'/);
  });
});
