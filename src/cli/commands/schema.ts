import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { flowJsonSchemaText } from '../../flow/json-schema.js';
import { parseCommandArgs } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';

export const schemaCommand: CliCommand = {
  name: 'schema',
  summary: 'print the JSON Schema of a flow (for yaml-language-server and editors)',
  usage: 'patchbay schema [--output FILE]',
  async run(args, io) {
    const { values } = parseCommandArgs('schema', args, { output: { type: 'string', short: 'o' } });
    const text = flowJsonSchemaText();
    if (values.output) {
      await writeFile(path.resolve(io.cwd, values.output), text);
      io.stderr.write(`wrote ${values.output}\n`);
    } else {
      io.stdout.write(text);
    }
    return ExitCode.OK;
  },
};
