import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { powerVm, readVm, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { shapeVm } from '../vm.js';

const properties = (k: PropKit) => ({
  vmExtId: k.string().describe('extId of the VM to power on'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/**
 * Powers a VM on (`$actions/power-on`, If-Match from a fresh read). A VM that is already ON is
 * left alone (`taskExtId` null), so a re-run is harmless. Once the task is waited for, outputs
 * the VM as it is now (`vm.ip` for the next SSH step).
 */
export const StartVm = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.ahv.StartVm'],
  title: 'Power on an AHV VM',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const vmExtId = required(props.vmExtId, 'vmExtId');
    return withPrism(context, props, async (client) => {
      const current = await readVm(client, vmExtId, 'StartVm');
      let taskExtId: string | null = null;
      if (current.vm.powerState === 'ON') context.log.info(`StartVm: VM ${String(current.vm.name ?? vmExtId)} is already ON`);
      else taskExtId = (await powerVm(client, vmExtId, 'power-on', current.etag, 'StartVm', props.wait)).taskExtId;
      const outputs: Record<string, unknown> = { taskExtId, vmExtId };
      if (props.wait) outputs.vm = shapeVm((await readVm(client, vmExtId, 'StartVm (reading the VM)')).vm);
      return { outputs };
    });
  },
});
