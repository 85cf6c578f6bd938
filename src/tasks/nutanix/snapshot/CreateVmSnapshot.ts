import { DateTime, Duration } from 'luxon';
import { taskFailed } from '../../../errors.js';
import { ISO_DURATION, type PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { readVm, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { startTask } from '../prism-task.js';
import { vmAssetId } from '../vm.js';
import { createdRecoveryPoint, recoveryPointsPath, snapshotAsset } from './recovery-points.js';

export const RECOVERY_POINT_TYPES = ['CRASH_CONSISTENT', 'APPLICATION_CONSISTENT'] as const;

const properties = (k: PropKit) => ({
  vmExtId: k.string().describe('extId of the VM to snapshot'),
  snapshotName: k.string().describe('Name of the recovery point'),
  recoveryPointType: k.enum(RECOVERY_POINT_TYPES).optional().describe('CRASH_CONSISTENT (default) or APPLICATION_CONSISTENT (quiesced by the guest tools)'),
  consistency: k.enum(RECOVERY_POINT_TYPES).optional().describe("Kestra's name for recoveryPointType"),
  expirationTime: k.string().optional().describe('When Prism Central deletes the recovery point: an ISO-8601 timestamp, or a duration from now such as P7D'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/** An absolute ISO-8601 time for Prism: a timestamp as given (normalised to UTC), or now + a duration. */
export function expirationTimestamp(value: string, now: Date = new Date()): string {
  const text = value.trim();
  if (ISO_DURATION.test(text)) {
    const duration = Duration.fromISO(text.replace(',', '.'));
    if (duration.isValid && duration.toMillis() > 0) return DateTime.fromJSDate(now).toUTC().plus(duration).toISO({ suppressMilliseconds: true })!;
  }
  const time = DateTime.fromISO(text, { setZone: true });
  if (!time.isValid) throw taskFailed(`\`expirationTime\`: "${value}" is neither an ISO-8601 timestamp (2030-01-31T12:00:00Z) nor a duration such as P7D`, { retryable: false });
  if (time.toMillis() <= now.getTime()) throw taskFailed(`\`expirationTime\`: ${value} is in the past`, { retryable: false });
  return time.toUTC().toISO({ suppressMilliseconds: true })!;
}

/**
 * Takes a recovery point of one VM (`POST dataprotection/…/recovery-points`). Outputs
 * `snapshotExtId` and `taskExtId`; records a Snapshot asset (id = the recovery point's extId,
 * display name = snapshotName) whose input is the VM asset (id = VM name). Safe to repeat
 * after a crash: the create call replays its NTNX-Request-Id.
 */
export const CreateVmSnapshot = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.snapshot.CreateVmSnapshot'],
  title: 'Take a recovery point (snapshot) of an AHV VM',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const vmExtId = required(props.vmExtId, 'vmExtId');
    const name = required(props.snapshotName, 'snapshotName');
    if (props.recoveryPointType && props.consistency && props.recoveryPointType !== props.consistency) {
      throw taskFailed(`\`consistency\`: ${props.consistency} contradicts recoveryPointType ${props.recoveryPointType}; set only one`, { retryable: false });
    }
    const recoveryPointType = props.recoveryPointType ?? props.consistency ?? 'CRASH_CONSISTENT';
    const expirationTime = props.expirationTime?.trim() ? expirationTimestamp(props.expirationTime) : undefined;
    return withPrism(context, props, async (client) => {
      const vm = (await readVm(client, vmExtId, 'CreateVmSnapshot')).vm;
      const body = { name, recoveryPointType, ...(expirationTime ? { expirationTime } : {}), vmRecoveryPoints: [{ vmExtId }] };
      const started = await startTask(
        client,
        { method: 'POST', path: recoveryPointsPath(client), operation: 'CreateVmSnapshot', body, purpose: `create-recovery-point:${vmExtId}` },
        props.wait,
      );
      const outputs: Record<string, unknown> = { taskExtId: started.taskExtId, snapshotExtId: null, snapshotName: name, vmExtId, recoveryPointType, expirationTime: expirationTime ?? null };
      if (!started.task) return { outputs };
      const snapshotExtId = createdRecoveryPoint(started.task);
      if (!snapshotExtId) {
        throw taskFailed(`CreateVmSnapshot: Prism task ${started.taskExtId} SUCCEEDED but names no recovery point (completionDetails recoveryPointExtId)`, { retryable: false });
      }
      context.log.info(`CreateVmSnapshot: recovery point ${name} (${snapshotExtId}) taken of VM ${String(vm.name ?? vmExtId)}`);
      outputs.snapshotExtId = snapshotExtId;
      const vmId = vmAssetId(vm);
      const metadata = { vmExtId, ...(vmId ? { vm: vmId } : {}), recoveryPointType, ...(expirationTime ? { expirationTime } : {}) };
      return { outputs, assets: { inputs: vmId ? [{ id: vmId }] : [], outputs: [snapshotAsset(snapshotExtId, name, metadata)] } };
    });
  },
});
