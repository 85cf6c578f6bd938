import { isPatchbayError, taskFailed } from '../../../errors.js';
import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { type PrismClient, segment } from '../client.js';
import { readVm, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import type { Json } from '../envelope.js';
import { type Started, startTask } from '../prism-task.js';
import { shapeVm } from '../vm.js';
import { type VmSpec, resolveCategories, vmBody, vmSpecSchema } from '../vm-spec.js';

const properties = (k: PropKit) => ({
  vmExtId: k.string().describe('extId of the VM to update'),
  vm: vmSpecSchema(k, { create: false }).describe('The fields to change: name, description, resources, categories'),
  etag: k.string().optional().describe('ETag from an earlier GetVm: refuse the update if the VM changed since (Patchbay)'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/**
 * Updates a VM the v4 way: read it (GET, for its ETag), change the given fields in the full
 * VM, `PUT` it back with `If-Match`. Prism refuses the PUT with HTTP 412 when the VM changed
 * in between. Without `etag` that is a race with another writer, so the task reads the VM
 * again and retries once; a second 412 fails (retryable). With `etag` the flow asked for
 * "only if unchanged since I read it", so a 412 fails at once and is not retried.
 */
export const UpdateVm = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.ahv.UpdateVm'],
  title: 'Update the resources or categories of an AHV VM',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const vmExtId = required(props.vmExtId, 'vmExtId');
    const pinned = props.etag?.trim() || undefined;
    return withPrism(context, props, async (client) => {
      const categories = await resolveCategories(client, (props.vm as VmSpec).categories, 'UpdateVm');
      const changes = vmBody(props.vm as VmSpec, categories);
      let started: Started | undefined;
      for (let round = 1; started === undefined; round += 1) {
        try {
          started = await putVm(client, vmExtId, changes, pinned, round, props.wait);
        } catch (error) {
          if (!isPatchbayError(error) || error.details?.status !== 412) throw error;
          if (pinned) {
            throw taskFailed(`\`etag\`: VM ${vmExtId} changed since the ETag was read, so the update was refused (${error.message}); read the VM again and decide anew`, {
              retryable: false,
              cause: error,
              details: error.details,
            });
          }
          if (round >= 2) throw taskFailed(`UpdateVm: VM ${vmExtId} kept changing while it was being updated (${error.message})`, { retryable: true, cause: error, details: error.details });
          context.log.warn(`UpdateVm: VM ${vmExtId} changed between read and update (HTTP 412); reading it again`);
        }
      }
      const outputs: Record<string, unknown> = { taskExtId: started.taskExtId, vmExtId };
      if (started.task) {
        const after = await readVm(client, vmExtId, 'UpdateVm (reading the VM)');
        outputs.vm = shapeVm(after.vm);
        outputs.etag = after.etag ?? null;
      }
      return { outputs };
    });
  },
});

/** One read-modify-write; each round has its own request id, so a refused round is not replayed. */
async function putVm(client: PrismClient, vmExtId: string, changes: Json, pinned: string | undefined, round: number, wait: boolean): Promise<Started> {
  const current = await readVm(client, vmExtId, 'UpdateVm');
  const { simulatedGuest: _guest, ...vm } = current.vm;
  const ifMatch = pinned ?? current.etag;
  return startTask(
    client,
    {
      method: 'PUT',
      path: client.path('vmm', `ahv/config/vms/${segment(vmExtId)}`),
      operation: 'UpdateVm',
      body: { ...vm, ...changes },
      ...(ifMatch ? { ifMatch } : {}),
      purpose: `update-vm:${vmExtId}:${round}`,
    },
    wait,
  );
}
