import type { DeclaredOutput } from '../../../assets/types.js';
import { type PrismClient, segment } from '../client.js';
import { notFoundAs } from '../common.js';
import { type Json, completionDetail, isObject } from '../envelope.js';
import { SNAPSHOT_ASSET_TYPE } from '../vm.js';

/**
 * Recovery points (Kestra's "VM snapshots") of the dataprotection v4 API, shared by the
 * snapshot tasks. Their asset id is the recovery point's extId (names repeat: "pre-patch" is
 * taken every week); the name is the asset's display name.
 */
export const RECOVERY_POINT_REL = 'dataprotection:config:recovery-point';

export const recoveryPointsPath = (client: PrismClient, rest = ''): string =>
  client.path('dataprotection', `config/recovery-points${rest}`);

export interface RecoveryPointRead {
  rp: Json;
  etag?: string;
}

export async function readRecoveryPoint(client: PrismClient, extId: string, operation: string, property = 'snapshotExtId'): Promise<RecoveryPointRead> {
  const reply = await notFoundAs(property, extId, 'recovery point', () =>
    client.call({ method: 'GET', path: recoveryPointsPath(client, `/${segment(extId)}`), operation }),
  );
  return { rp: isObject(reply.data) ? reply.data : {}, ...(reply.etag ? { etag: reply.etag } : {}) };
}

/** The VM recovery points inside a recovery point. */
export const vmRecoveryPoints = (rp: Json): Json[] => (Array.isArray(rp.vmRecoveryPoints) ? rp.vmRecoveryPoints.filter(isObject) : []);

/** A recovery point as outputs show it: Prism's fields plus `snapshotExtId` and `vmExtIds`. */
export function shapeRecoveryPoint(rp: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(rp)) if (!key.startsWith('$')) out[key] = value;
  out.snapshotExtId = rp.extId ?? null;
  out.vmExtIds = vmRecoveryPoints(rp).map((vrp) => vrp.vmExtId).filter((id): id is string => typeof id === 'string');
  return out;
}

/** The new recovery point of a finished create or replicate task (completionDetails, else entitiesAffected). */
export function createdRecoveryPoint(task: Json, except?: string): string | undefined {
  const detail = completionDetail(task, 'recoveryPointExtId');
  if (detail && detail !== except) return detail;
  if (!Array.isArray(task.entitiesAffected)) return undefined;
  const entity = task.entitiesAffected.find((item) => isObject(item) && item.rel === RECOVERY_POINT_REL && item.extId !== except);
  return isObject(entity) && typeof entity.extId === 'string' ? entity.extId : undefined;
}

export function snapshotAsset(extId: string, name: string | undefined, metadata: Json): DeclaredOutput {
  return {
    id: extId,
    type: SNAPSHOT_ASSET_TYPE,
    ...(name ? { displayName: name } : {}),
    metadata: { provider: 'nutanix', extId, ...metadata },
  };
}
