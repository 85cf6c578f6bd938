import { taskFailed } from '../../../errors.js';
import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import type { PrismClient } from '../client.js';
import { readVm, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { isObject } from '../envelope.js';
import { odataString, shapeVm, vmAssetId } from '../vm.js';

const properties = (k: PropKit) => ({
  vmExtId: k.string().optional().describe('extId of the VM'),
  vmName: k.string().optional().describe('Name of the VM, when its extId is not known (Patchbay): exactly one VM must have it'),
  ...connectionProperties(k),
});

/**
 * Reads one VM. Outputs `vm` (Prism's fields plus `ip`, `ipAddresses`, `sshPort`, `httpPort`,
 * `healthUrl` for simulated guests), `vmExtId`, and `etag` for a later UpdateVm that must not
 * overwrite a change made in between. Declares the VM as an asset it used.
 */
export const GetVm = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.ahv.GetVm'],
  title: 'Read an AHV VM from Nutanix Prism Central, by extId or name',
  kind: 'runnable',
  properties,
  check(task) {
    if (task.vmExtId === undefined && task.vmName === undefined) return [{ path: ['vmExtId'], message: 'set vmExtId or vmName' }];
    if (task.vmExtId !== undefined && task.vmName !== undefined) return [{ path: ['vmName'], message: 'set vmExtId or vmName, not both' }];
    return [];
  },
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    return withPrism(context, props, async (client) => {
      const extId = props.vmExtId?.trim() || (await vmExtIdByName(client, props.vmName, 'GetVm'));
      const read = await readVm(client, extId, 'GetVm');
      const vm = shapeVm(read.vm);
      const id = vmAssetId(vm);
      return {
        outputs: { vm, vmExtId: extId, etag: read.etag ?? null },
        ...(id ? { assets: { inputs: [{ id }], outputs: [] } } : {}),
      };
    });
  },
});

/** The extId of the one VM called `name`; none or several is an error that says which. */
export async function vmExtIdByName(client: PrismClient, name: string | undefined, operation: string): Promise<string> {
  const wanted = name?.trim();
  if (!wanted) throw taskFailed('`vmExtId` or `vmName`: one of them is required, and both rendered empty', { retryable: false });
  const reply = await client.call({
    method: 'GET',
    path: client.path('vmm', 'ahv/config/vms'),
    operation: `${operation} (finding VM ${wanted})`,
    query: { $filter: `name eq ${odataString(wanted)}`, $limit: 2 },
  });
  const matches = (Array.isArray(reply.data) ? reply.data : []).filter(isObject);
  if (matches.length === 0) throw taskFailed(`\`vmName\`: Prism Central has no VM named "${wanted}"`, { retryable: false });
  if (matches.length > 1) {
    throw taskFailed(`\`vmName\`: several VMs are named "${wanted}" (${matches.map((vm) => String(vm.extId)).join(', ')}…); use vmExtId`, { retryable: false });
  }
  const extId = matches[0]!.extId;
  if (typeof extId !== 'string') throw taskFailed(`${operation}: Prism Central listed VM "${wanted}" without an extId`, { retryable: false });
  return extId;
}
