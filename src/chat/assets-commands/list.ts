import type { AssetListFilter } from '../../assets/types.js';
import { ErrorCode, PatchbayError } from '../../errors.js';
import { assetListMessage } from '../../slack/blocks/assets.js';
import { quoteWord } from '../command-line.js';
import type { Subcommand, SubcommandArgs } from '../family.js';
import { assetService } from './shared.js';

/**
 * `/assets list [type=T] [namespace=N] [key=value …] [text]`, read like the CLI's
 * `assets list` words: `type` (commas for several), `namespace`, `after` (the page cursor),
 * any other key a metadata value (`metadata.KEY=` for a key named like an option), the
 * remaining words text matched in ids and names.
 */
const OPTIONS = new Set(['type', 'namespace', 'after']);
const METADATA = 'metadata.';
/** Slack pages stay short; the CLI's 50 would make a long scroll. */
export const PAGE_SIZE = 25;

export function parseListArgs(args: Pick<SubcommandArgs, 'positionals' | 'pairs'>): AssetListFilter {
  const filter: AssetListFilter = {};
  for (const [key, value] of Object.entries(args.pairs)) {
    if (key === 'type') {
      const types = value.split(',').map((type) => type.trim()).filter(Boolean);
      if (types.length === 0) throw new PatchbayError(ErrorCode.USAGE, '`type=` needs a type, e.g. `type=VM` or `type=VM,IP`');
      filter.types = types;
    } else if (key === 'namespace') filter.namespace = value;
    else if (key === 'after') filter.after = value;
    else (filter.metadata ??= {})[key.startsWith(METADATA) ? key.slice(METADATA.length) : key] = value;
  }
  if (args.positionals.length > 0) filter.text = args.positionals.join(' ');
  return filter;
}

/** A metadata key that would read back as an option (or lose its prefix) keeps `metadata.`. */
const metadataKey = (key: string): string => (OPTIONS.has(key) || key.startsWith(METADATA) ? `${METADATA}${key}` : key);

/**
 * The `/assets` text that asks for the page after `cursor` with the same filter: what the
 * Next page button carries. `parseListArgs` reads it back to the same filter.
 */
export function listCommandText(filter: AssetListFilter, cursor: string): string {
  const words = ['list'];
  if (filter.types?.length) words.push(`type=${quoteWord(filter.types.join(','))}`);
  if (filter.namespace !== undefined) words.push(`namespace=${quoteWord(filter.namespace)}`);
  for (const [key, value] of Object.entries(filter.metadata ?? {})) words.push(`${metadataKey(key)}=${quoteWord(String(value))}`);
  words.push(`after=${quoteWord(cursor)}`);
  // One quoted word per text word would do too; one word keeps the line short.
  if (filter.text) words.push(quoteWord(filter.text));
  return words.join(' ');
}

export const listCommand: Subcommand = {
  name: 'list',
  usage: '/assets list [type=T] [namespace=N] [key=value …] [text]',
  description: 'find assets by type, namespace, metadata or name',
  async run(args, _request, context) {
    const filter = parseListArgs(args);
    const page = await assetService(context).list({ ...filter, limit: PAGE_SIZE });
    const nextCommand = page.next === null ? undefined : listCommandText(filter, page.next);
    return { kind: 'private', message: assetListMessage(page, { filter, ...(nextCommand === undefined ? {} : { nextCommand }) }) };
  },
};
