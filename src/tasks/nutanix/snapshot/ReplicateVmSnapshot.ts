import { taskFailed } from '../../../errors.js';
import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { segment } from '../client.js';
import { required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { startTask } from '../prism-task.js';
import { createdRecoveryPoint, readRecoveryPoint, recoveryPointsPath, snapshotAsset } from './recovery-points.js';

const properties = (k: PropKit) => ({
  snapshotExtId: k.string().describe('extId of the recovery point to replicate'),
  clusterExtId: k.string().describe('extId of the target cluster (the DR site)'),
  pcExtId: k.string().optional().describe('extId of the Prism Central that manages the target cluster, when it is another one'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/**
 * Replicates a recovery point to another cluster for DR (`$actions/replicate`). Outputs the
 * replica's extId (`replicaExtId`) and `taskExtId`; records the replica as a Snapshot asset
 * whose input is the source recovery point.
 */
export const ReplicateVmSnapshot = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.snapshot.ReplicateVmSnapshot'],
  title: 'Replicate a recovery point (snapshot) to another cluster',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const snapshotExtId = required(props.snapshotExtId, 'snapshotExtId');
    const clusterExtId = required(props.clusterExtId, 'clusterExtId');
    return withPrism(context, props, async (client) => {
      const { rp } = await readRecoveryPoint(client, snapshotExtId, 'ReplicateVmSnapshot');
      const pcExtId = props.pcExtId?.trim();
      const started = await startTask(
        client,
        {
          method: 'POST',
          path: recoveryPointsPath(client, `/${segment(snapshotExtId)}/$actions/replicate`),
          operation: 'ReplicateVmSnapshot',
          body: { clusterExtId, ...(pcExtId ? { pcExtId } : {}) },
          purpose: `replicate:${snapshotExtId}:${clusterExtId}`,
        },
        props.wait,
      );
      const outputs: Record<string, unknown> = { taskExtId: started.taskExtId, snapshotExtId, clusterExtId, replicaExtId: null };
      if (!started.task) return { outputs };
      const replicaExtId = createdRecoveryPoint(started.task, snapshotExtId);
      if (!replicaExtId) {
        throw taskFailed(`ReplicateVmSnapshot: Prism task ${started.taskExtId} SUCCEEDED but names no replica (completionDetails recoveryPointExtId)`, { retryable: false });
      }
      context.log.info(`ReplicateVmSnapshot: recovery point ${snapshotExtId} replicated to cluster ${clusterExtId} as ${replicaExtId}`);
      outputs.replicaExtId = replicaExtId;
      const name = typeof rp.name === 'string' ? rp.name : undefined;
      const asset = snapshotAsset(replicaExtId, name, { clusterExtId, sourceExtId: snapshotExtId });
      return { outputs, assets: { inputs: [{ id: snapshotExtId }], outputs: [asset] } };
    });
  },
});
