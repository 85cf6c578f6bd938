import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { printValue } from '../../expr/environment.js';
import { createScope, renderTyped } from '../../expr/render.js';
import { createSecretLookup, maskSecrets } from '../../secrets.js';
import { parseCommandArgs, usageError } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'render a template against a JSON context and print the result',
  usage: 'patchbay eval TEMPLATE [--context FILE.json]',
  async run(args, io) {
    const { positionals, values } = parseCommandArgs('eval', args, { context: { type: 'string', short: 'c' } });
    if (positionals.length !== 1) throw usageError('eval: give exactly one TEMPLATE (quote it), e.g. patchbay eval "{{ 1 + 1 }}"');
    let context: Record<string, unknown> = {};
    if (values.context) {
      const file = path.resolve(io.cwd, values.context);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw usageError(`eval: cannot read --context ${values.context}`);
      }
      try {
        context = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw usageError(`eval: --context ${values.context} is not valid JSON: ${(error as Error).message}`);
      }
      if (!context || typeof context !== 'object' || Array.isArray(context)) {
        throw usageError(`eval: --context ${values.context} must hold a JSON object`);
      }
    }
    const config = loadConfig(io.env, io.cwd);
    const scope = createScope({ secret: createSecretLookup(config), namespace: 'default' });
    const value = renderTyped(positionals[0] as string, context, scope);
    const text = typeof value === 'string' ? value : value === null ? 'null' : printValue(value);
    // eval is for debugging: it may print a secret on purpose only if the author asks for it raw.
    io.stdout.write(`${maskSecrets(text, scope.revealedSecrets)}\n`);
    return ExitCode.OK;
  },
};
