import { createRequire } from 'node:module';
import { defineFilter, exprError, type ExprFilter } from '../define.js';
import { isNullish, show, stringArg } from './values.js';

/**
 * Kestra's `jq` filter, running real jq (compiled to WebAssembly). Filters must be synchronous,
 * so the module is loaded once here; after that `raw` runs synchronously.
 */
interface JqModule {
  /** jq's stdout for `filter` over the JSON text, undefined when it printed nothing; throws on jq errors. */
  raw(json: string, filter: string, flags: string[]): string | undefined;
}

// jq-web is CommonJS and exports a promise; `require` sidesteps the ESM interop layers
// (Node's and the test runner's) that would otherwise wrap that promise in a namespace.
const jq = await (createRequire(import.meta.url)('jq-web') as Promise<JqModule>);

/** Kestra reads a string input as JSON text; any other value is serialised to JSON first. */
function jsonText(input: unknown): string {
  if (typeof input === 'string') {
    try {
      JSON.parse(input);
    } catch (error) {
      throw exprError(`\`jq\`: the input string is not JSON (${(error as Error).message}): ${show(input)}`);
    }
    return input;
  }
  return JSON.stringify(input) ?? 'null';
}

/** jq's message without the wrapper's exit-code line. */
const jqMessage = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/^Non-zero exit code: \d+\n/, '').trim();

export const jqFilters: ExprFilter[] = [
  defineFilter({
    name: 'jq',
    params: ['expression'],
    apply(input, args) {
      if (isNullish(input)) return null;
      if (isNullish(args.expression)) throw exprError("`jq` expects an argument `expression`, e.g. jq('.items[0]')");
      const expression = stringArg('jq', 'expression', args.expression);
      let output: string | undefined;
      try {
        output = jq.raw(jsonText(input), expression, ['-c']);
      } catch (error) {
        throw exprError(`\`jq\`: ${show(expression)} failed: ${jqMessage(error)}`);
      }
      // Kestra's jq always returns the list of every output, so `empty` gives [].
      return (output ?? '')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as unknown);
    },
  }),
];
