import type { Database } from '../db/database.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { getAsset, listAssets } from './queries.js';
import { deleteAsset, recordAssets, toAssetOrigin } from './record.js';
import type { AssetListFilter, AssetPage, AssetStore, AssetSummary, DeclaredOutput, TaskAssetOrigin } from './types.js';

/**
 * The AssetStore the runner hands to the asset tasks (Set, List, Delete). Each write is its
 * own short transaction, committed when the task's call returns; the task run's id is on
 * every event, so a run repeated after a lost worker does not record its change twice.
 */
export class DatabaseAssetStore implements AssetStore {
  constructor(private readonly database: Database) {}

  async set(origin: TaskAssetOrigin, asset: DeclaredOutput): Promise<AssetSummary> {
    return this.database.db.transaction(async (tx) => {
      await recordAssets(tx, toAssetOrigin(origin), { inputs: [], outputs: [asset] });
      const stored = await getAsset(tx, asset.id);
      if (!stored) throw new PatchbayError(ErrorCode.INTERNAL, `asset \`${asset.id}\` vanished while being written`);
      return summary(stored);
    });
  }

  list(filter: AssetListFilter): Promise<AssetPage> {
    return listAssets(this.database.db, filter);
  }

  delete(origin: TaskAssetOrigin, id: string): Promise<'deleted' | 'already-deleted' | 'missing'> {
    return this.database.db.transaction((tx) => deleteAsset(tx, toAssetOrigin(origin), id));
  }
}

export function summary(asset: AssetSummary): AssetSummary {
  const { id, namespace, type, displayName, description, metadata, created, updated } = asset;
  return { id, namespace, type, displayName, description, metadata, created, updated };
}
