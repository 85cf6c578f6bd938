/**
 * What the /assets sub-commands share: the AssetService over the chat context's database,
 * and the `<id> [depth=N]` arguments of show, impact and graph.
 */
import { AssetService } from '../../assets/service.js';
import { ErrorCode, PatchbayError } from '../../errors.js';
import type { PatchbayService } from '../../service/service.js';
import type { SubcommandArgs } from '../family.js';
import type { ChatContext } from '../types.js';

/** AssetService holds nothing but the database handle; one per service is plenty. */
const services = new WeakMap<PatchbayService, AssetService>();

export function assetService(context: ChatContext): AssetService {
  let service = services.get(context.service);
  if (!service) {
    service = new AssetService(context.service.database);
    services.set(context.service, service);
  }
  return service;
}

/**
 * Exactly one asset id and no `key=value` other than `depth`: a misspelt `deph=3` should be
 * pointed out, not silently ignored. Depth is checked by the service (range per command).
 */
export function idAndDepth(args: SubcommandArgs, usage: string): { id: string; depth: string | undefined } {
  const [id, ...extra] = args.positionals;
  const unknown = Object.keys(args.pairs).filter((key) => key !== 'depth');
  if (!id || extra.length > 0 || unknown.length > 0) {
    const why = unknown.length > 0 ? `unknown option ${unknown.map((key) => `\`${key}=\``).join(', ')}; ` : '';
    throw new PatchbayError(ErrorCode.USAGE, `${why}usage: ${usage}`);
  }
  return { id, depth: args.pairs.depth };
}
