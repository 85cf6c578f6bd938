import { taskFailed } from '../../../errors.js';
import type { PropKit } from '../../kit.js';
import type { RunProps } from '../../props.js';
import { defineTask } from '../../types.js';
import { powerVm, readVm, required, waitProperty, withPrism } from '../common.js';
import { connectionProperties } from '../connection.js';
import { affectedEntity } from '../envelope.js';
import { startTask } from '../prism-task.js';
import { shapeVm, vmAsset } from '../vm.js';
import { type VmSpec, resolveCategories, vmBody, vmSpecSchema } from '../vm-spec.js';

const properties = (k: PropKit) => ({
  vm: vmSpecSchema(k, { create: true }).describe('The VM to create (Kestra AhvVm: name, description, cluster, resources, categories)'),
  powerOn: k.bool().default(true).describe('Power the VM on once created'),
  ...waitProperty(k),
  ...connectionProperties(k),
});

const VM_REL = 'vmm:ahv:config:vm';

/**
 * Creates an AHV VM (`POST vmm/…/ahv/config/vms`), waits for the Prism task, powers it on and
 * reads it back. Outputs `vmExtId`, `vm` (with `ip`, `sshPort`, `httpPort`), `vmIpAddresses`
 * and `taskExtId`, and records the VM asset (id = VM name).
 *
 * Kestra's defaults are `wait: false` and `powerOn: false`; Patchbay's are true so that the
 * outputs a provisioning flow needs next (extId, ip) exist. `powerOn` needs the new extId, so
 * it always waits for the creation; `wait: false` then skips only waiting for the power-on.
 *
 * Safe to repeat after a crash: the create and power-on calls replay their NTNX-Request-Id.
 */
export const CreateVm = defineTask({
  types: ['io.kestra.plugin.ee.nutanix.ahv.CreateVm'],
  title: 'Create an AHV VM in Nutanix Prism Central (and power it on)',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const spec = props.vm as VmSpec;
    const name = required(spec.name, 'vm.name');
    required(spec.cluster?.extId, 'vm.cluster.extId');
    return withPrism(context, props, async (client) => {
      const categories = await resolveCategories(client, spec.categories, 'CreateVm');
      const body = { ...vmBody(spec, categories), name };
      const created = await startTask(
        client,
        { method: 'POST', path: client.path('vmm', 'ahv/config/vms'), operation: 'CreateVm', body, purpose: 'create-vm' },
        props.wait || props.powerOn,
      );
      if (!created.task) {
        context.log.info(`CreateVm: not waiting for VM ${name} (wait: false)`);
        return { outputs: { taskExtId: created.taskExtId, vmExtId: null, vm: shapeVm(body), vmIpAddresses: [] } };
      }
      const vmExtId = affectedEntity(created.task, VM_REL);
      if (!vmExtId) {
        throw taskFailed(`CreateVm: Prism task ${created.taskExtId} SUCCEEDED but names no created VM (no ${VM_REL} in entitiesAffected)`, { retryable: false });
      }
      context.log.info(`CreateVm: VM ${name} created with extId ${vmExtId}`);
      const outputs: Record<string, unknown> = { taskExtId: created.taskExtId, vmExtId };
      if (props.powerOn) {
        const current = await readVm(client, vmExtId, 'CreateVm (reading the new VM)');
        if (current.vm.powerState === 'ON') context.log.info(`CreateVm: VM ${name} is already ON`);
        else outputs.powerOnTaskExtId = (await powerVm(client, vmExtId, 'power-on', current.etag, 'CreateVm (power on)', props.wait)).taskExtId;
      }
      const vm = shapeVm((await readVm(client, vmExtId, 'CreateVm (reading the new VM)')).vm);
      outputs.vm = vm;
      outputs.vmIpAddresses = vm.ipAddresses;
      return { outputs, assets: { inputs: [], outputs: [vmAsset(vm, name)] } };
    });
  },
});
