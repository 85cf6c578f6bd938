import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AssetService } from '../../assets/service.js';
import { formatImpact, formatList, formatShow } from '../../assets/text.js';
import type { AssetListFilter } from '../../assets/types.js';
import { parseCommandArgs, usageError } from '../args.js';
import { type CliCommand, type CliIo, ExitCode } from '../io.js';
import { openService } from '../service-io.js';

const USAGE = [
  'patchbay assets show ID [--depth N] [--json]',
  '       patchbay assets list [type=T …] [namespace=N] [KEY=VALUE …] [TEXT] [--limit N] [--after ID] [--deleted] [--json]',
  '       patchbay assets impact ID [--depth N] [--json]',
  '       patchbay assets graph ID [--depth N] [-o FILE.png|FILE.dot] [--json]',
].join('\n');

/**
 * `list` words: `type=T` (repeatable: any of them), `namespace=N`, `metadata.KEY=VALUE` or
 * plain `KEY=VALUE` for metadata, anything else free text matched in ids and names.
 */
export function parseListWords(words: readonly string[]): AssetListFilter {
  const filter: AssetListFilter = {};
  const text: string[] = [];
  for (const word of words) {
    const at = word.indexOf('=');
    if (at < 0) {
      text.push(word);
      continue;
    }
    const key = word.slice(0, at);
    const value = word.slice(at + 1);
    if (key === '') throw usageError(`assets list: \`${word}\` has no key before =`);
    if (key === 'type') (filter.types ??= []).push(value);
    else if (key === 'namespace') filter.namespace = value;
    else (filter.metadata ??= {})[key.startsWith('metadata.') ? key.slice('metadata.'.length) : key] = value;
  }
  if (text.length > 0) filter.text = text.join(' ');
  return filter;
}

function positiveInt(option: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw usageError(`--${option} must be an integer from 1 to ${max}, got \`${value}\``);
  return Number(value);
}

function defaultGraphFile(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`;
}

async function graph(service: AssetService, io: CliIo, id: string, values: { depth?: string; output?: string; json?: boolean }): Promise<void> {
  const view = await service.graph(id, { depth: values.depth });
  const file = path.resolve(io.cwd, values.output ?? defaultGraphFile(id));
  const asDot = file.toLowerCase().endsWith('.dot');
  if (!asDot && !file.toLowerCase().endsWith('.png')) throw usageError(`-o must name a .png or .dot file, got \`${values.output}\``);
  await writeFile(file, asDot ? view.dot : view.png);
  const summary = { file, nodes: view.nodes, edges: view.edges, truncated: view.truncated };
  if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else io.stdout.write(`wrote ${file} (${view.nodes} assets, ${view.edges} edges${view.truncated ? ', more beyond the depth shown' : ''})\n`);
}

export const assetsCommand: CliCommand = {
  name: 'assets',
  summary: 'the asset inventory: show an asset, list, impact of removing one, lineage graph',
  usage: USAGE,
  async run(args, io) {
    const { positionals, values } = parseCommandArgs('assets', args, {
      json: { type: 'boolean' },
      depth: { type: 'string' },
      limit: { type: 'string' },
      after: { type: 'string' },
      deleted: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
    });
    const [verb, ...rest] = positionals;
    if (verb !== 'show' && verb !== 'list' && verb !== 'impact' && verb !== 'graph') throw usageError(`assets: expected show, list, impact or graph\nusage: ${USAGE}`);
    if (verb !== 'list' && rest.length !== 1) throw usageError(`assets ${verb}: give exactly one asset id`);
    if (verb !== 'graph' && values.output !== undefined) throw usageError(`assets ${verb}: -o is for graph only`);
    if (verb !== 'list' && (values.limit !== undefined || values.after !== undefined || values.deleted)) {
      throw usageError(`assets ${verb}: --limit, --after and --deleted are for list only`);
    }
    const id = rest[0] as string;
    const filter = verb === 'list' ? parseListWords(rest) : {};
    const limit = positiveInt('limit', values.limit, 1000);
    const opened = await openService(io, { sync: false });
    try {
      const service = new AssetService(opened.database);
      if (verb === 'show') {
        const view = await service.show(id, { depth: values.depth });
        io.stdout.write(values.json ? `${JSON.stringify(view)}\n` : formatShow(view));
      } else if (verb === 'impact') {
        const view = await service.impact(id, { depth: values.depth });
        io.stdout.write(values.json ? `${JSON.stringify(view)}\n` : formatImpact(view));
      } else if (verb === 'list') {
        const page = await service.list({ ...filter, ...(limit ? { limit } : {}), ...(values.after ? { after: values.after } : {}), includeDeleted: values.deleted ?? false });
        io.stdout.write(values.json ? `${JSON.stringify(page)}\n` : formatList(page));
      } else {
        await graph(service, io, id, values);
      }
      return ExitCode.OK;
    } finally {
      await opened.close();
    }
  },
};
