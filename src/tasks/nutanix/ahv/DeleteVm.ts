import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { segment } from '../client.js';
import { forgetAsset, readVm, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { startTask } from '../prism-task.js';
import { vmAssetId } from '../vm.js';

const properties = (k: PropKit) => ({
  vmExtId: k.string().describe('extId of the VM to delete'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/**
 * Deletes a VM (`DELETE vms/{extId}` with If-Match). Once Prism reports the deletion done, the
 * VM's asset (id = VM name) is marked DELETED in the inventory; with `wait: false` Patchbay
 * cannot know that it happened, so the asset is left as it is.
 */
export const DeleteVm = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.ahv.DeleteVm'],
  title: 'Delete an AHV VM',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const vmExtId = required(props.vmExtId, 'vmExtId');
    return withPrism(context, props, async (client) => {
      const current = await readVm(client, vmExtId, 'DeleteVm');
      const started = await startTask(
        client,
        {
          method: 'DELETE',
          path: client.path('vmm', `ahv/config/vms/${segment(vmExtId)}`),
          operation: 'DeleteVm',
          ...(current.etag ? { ifMatch: current.etag } : {}),
          purpose: `delete-vm:${vmExtId}`,
        },
        props.wait,
      );
      const name = vmAssetId(current.vm);
      if (started.task) await forgetAsset(context, name);
      return { outputs: { taskExtId: started.taskExtId, vmExtId, name: name ?? null } };
    });
  },
});
