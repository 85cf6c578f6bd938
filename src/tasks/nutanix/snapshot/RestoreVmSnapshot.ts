import { taskFailed } from '../../../errors.js';
import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { segment } from '../client.js';
import { readVm, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import type { Json } from '../envelope.js';
import { startTask } from '../prism-task.js';
import { vmAssetId } from '../vm.js';
import { readRecoveryPoint, vmRecoveryPoints } from './recovery-points.js';

const properties = (k: PropKit) => ({
  snapshotExtId: k.string().describe('extId of the recovery point to revert to'),
  vmExtId: k.string().optional().describe('The VM to revert, when the recovery point holds several'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/** The VM recovery point to revert from: the one of `vmExtId`, or the only one. */
export function pickVmRecoveryPoint(rp: Json, snapshotExtId: string, vmExtId: string | undefined): Json {
  const candidates = vmRecoveryPoints(rp);
  if (vmExtId) {
    const match = candidates.find((vrp) => vrp.vmExtId === vmExtId);
    if (!match) throw taskFailed(`\`vmExtId\`: recovery point ${snapshotExtId} holds no recovery point of VM ${vmExtId}`, { retryable: false });
    return match;
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw taskFailed(`\`snapshotExtId\`: recovery point ${snapshotExtId} holds no VM recovery point`, { retryable: false });
  throw taskFailed(`\`vmExtId\`: recovery point ${snapshotExtId} holds ${candidates.length} VMs (${candidates.map((vrp) => String(vrp.vmExtId)).join(', ')}); say which to revert`, { retryable: false });
}

/**
 * Reverts a VM in place to a recovery point: finds the VM recovery point for the VM inside
 * it, then `POST vmm/…/vms/{vm}/$actions/revert` with If-Match (Prism's in-place revert; the
 * dataprotection `restore` action would create a new VM instead). Outputs `taskExtId`,
 * `vmExtId`, `vmRecoveryPointExtId`; declares the snapshot and the VM as used.
 */
export const RestoreVmSnapshot = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.snapshot.RestoreVmSnapshot'],
  title: 'Revert an AHV VM in place to a recovery point',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const snapshotExtId = required(props.snapshotExtId, 'snapshotExtId');
    return withPrism(context, props, async (client) => {
      const { rp } = await readRecoveryPoint(client, snapshotExtId, 'RestoreVmSnapshot');
      const vrp = pickVmRecoveryPoint(rp, snapshotExtId, props.vmExtId?.trim() || undefined);
      const vmExtId = String(vrp.vmExtId);
      const vmRecoveryPointExtId = typeof vrp.extId === 'string' ? vrp.extId : undefined;
      if (!vmRecoveryPointExtId) throw taskFailed(`RestoreVmSnapshot: recovery point ${snapshotExtId} lists VM ${vmExtId} without a VM recovery point extId`, { retryable: false });
      const current = await readVm(client, vmExtId, 'RestoreVmSnapshot', 'vmExtId (from the recovery point)');
      const started = await startTask(
        client,
        {
          method: 'POST',
          path: client.path('vmm', `ahv/config/vms/${segment(vmExtId)}/$actions/revert`),
          operation: 'RestoreVmSnapshot',
          body: { vmRecoveryPointExtId },
          ...(current.etag ? { ifMatch: current.etag } : {}),
          purpose: `revert:${vmExtId}:${vmRecoveryPointExtId}`,
        },
        props.wait,
      );
      context.log.info(`RestoreVmSnapshot: VM ${String(current.vm.name ?? vmExtId)} ${started.task ? 'reverted' : 'reverting'} to recovery point ${String(rp.name ?? snapshotExtId)}`);
      const vmId = vmAssetId(current.vm);
      return {
        outputs: { taskExtId: started.taskExtId, vmExtId, snapshotExtId, vmRecoveryPointExtId },
        assets: { inputs: [{ id: snapshotExtId }, ...(vmId ? [{ id: vmId }] : [])], outputs: [] },
      };
    });
  },
});
