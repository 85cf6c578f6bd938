import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { type PowerAction, powerVm, readVm, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';

const properties = (k: PropKit) => ({
  vmExtId: k.string().describe('extId of the VM to stop'),
  gracefully: k.bool().default(false).describe('Shut down through ACPI instead of cutting the power'),
  guest: k.bool().default(false).describe('Shut down through Nutanix Guest Tools inside the guest (implies gracefully)'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

/** Kestra's two switches mapped to the v4 power actions. */
export function stopAction(gracefully: boolean, guest: boolean): PowerAction {
  if (guest) return 'guest-shutdown';
  return gracefully ? 'shutdown' : 'power-off';
}

/**
 * Stops a VM: a hard power-off by default, an ACPI shutdown with `gracefully: true`, a shutdown
 * by the guest tools with `guest: true`. A VM that is already OFF is left alone (`taskExtId`
 * null). Outputs `action` so the log and later steps say which one was used.
 */
export const StopVm = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.ahv.StopVm'],
  title: 'Power off or shut down an AHV VM',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const vmExtId = required(props.vmExtId, 'vmExtId');
    const action = stopAction(props.gracefully, props.guest);
    return withPrism(context, props, async (client) => {
      const current = await readVm(client, vmExtId, 'StopVm');
      if (current.vm.powerState === 'OFF') {
        context.log.info(`StopVm: VM ${String(current.vm.name ?? vmExtId)} is already OFF`);
        return { outputs: { taskExtId: null, vmExtId, action } };
      }
      const started = await powerVm(client, vmExtId, action, current.etag, `StopVm (${action})`, props.wait);
      return { outputs: { taskExtId: started.taskExtId, vmExtId, action } };
    });
  },
});
