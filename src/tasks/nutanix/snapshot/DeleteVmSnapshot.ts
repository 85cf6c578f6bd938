import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { segment } from '../client.js';
import { forgetAsset, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { startTask } from '../prism-task.js';
import { readRecoveryPoint, recoveryPointsPath } from './recovery-points.js';

const properties = (k: PropKit) => ({
  snapshotExtId: k.string().describe('extId of the recovery point to delete'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/**
 * Deletes a recovery point (irreversible). Once Prism reports it done, the Snapshot asset
 * (id = the recovery point's extId) is marked DELETED; with `wait: false` it is left as is.
 */
export const DeleteVmSnapshot = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.snapshot.DeleteVmSnapshot'],
  title: 'Delete a recovery point (snapshot)',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const snapshotExtId = required(props.snapshotExtId, 'snapshotExtId');
    return withPrism(context, props, async (client) => {
      const { rp, etag } = await readRecoveryPoint(client, snapshotExtId, 'DeleteVmSnapshot');
      const started = await startTask(
        client,
        {
          method: 'DELETE',
          path: recoveryPointsPath(client, `/${segment(snapshotExtId)}`),
          operation: 'DeleteVmSnapshot',
          ...(etag ? { ifMatch: etag } : {}),
          purpose: `delete-recovery-point:${snapshotExtId}`,
        },
        props.wait,
      );
      if (started.task) await forgetAsset(context, snapshotExtId);
      return { outputs: { taskExtId: started.taskExtId, snapshotExtId, snapshotName: typeof rp.name === 'string' ? rp.name : null } };
    });
  },
});
