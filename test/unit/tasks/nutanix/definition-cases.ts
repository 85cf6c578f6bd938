import type { DefinitionCase } from '../definition-cases.js';

/**
 * Definition cases of the Nutanix task types, from Kestra's plugin documentation examples
 * (kestra.io/plugins/plugin-ee-nutanix), merged into the registry-wide CASES.
 */
const token = { host: "{{ secret('NUTANIX_HOST') }}", token: "{{ secret('NUTANIX_TOKEN') }}" };
const basic = { host: "{{ secret('NUTANIX_HOST') }}", username: "{{ secret('NUTANIX_USERNAME') }}", password: "{{ secret('NUTANIX_PASSWORD') }}" };
const vmExtId = "{{ secret('NUTANIX_VM_EXT_ID') }}";
const snapshotExtId = "{{ secret('NUTANIX_SNAPSHOT_EXT_ID') }}";
const P = 'io.kestra.plugin.ee.nutanix';

export const NUTANIX_CASES: Record<string, DefinitionCase> = {
  [`${P}.ahv.CreateVm`]: {
    valid: [
      {
        ...basic,
        vm: {
          name: 'kestra-demo', description: 'VM created by Kestra', cluster: { extId: "{{ secret('NUTANIX_CLUSTER_EXT_ID') }}" },
          resources: { numSockets: 1, numCoresPerSocket: 2, memorySizeBytes: 2147483648, disks: [] },
        },
      },
      { vm: { name: 'web', cluster: { extId: 'c1' }, categories: ['cat-1', { key: 'env', value: 'prod' }], machineType: 'Q35' }, powerOn: false, wait: true, caCertificate: '/etc/ssl/pc.pem' },
    ],
    wrongType: { vm: { name: 'web', cluster: { extId: 'c1' }, resources: { numSockets: 'two' } } },
    template: { vm: { name: 'web', cluster: { extId: 'c1' } }, powerOn: '{{ inputs.start }}' },
    coerce: { props: { vm: { name: 'web', cluster: { extId: 'c1' } }, port: '9440' }, key: 'port', expected: 9440 },
  },
  [`${P}.ahv.GetVm`]: {
    valid: [{ ...token, vmExtId }, { vmName: 'prod-web-01' }],
    wrongType: { vmExtId: ['a', 'b'] },
  },
  [`${P}.ahv.ListVms`]: {
    valid: [{ ...token, filter: "startswith(name, 'prod-')", orderBy: 'name desc', fetchType: 'FETCH' }, { limit: 10, page: 1, select: 'name,extId', fetchType: 'FETCH_ONE' }],
    // Kestra's STORE writes to internal storage, which Patchbay does not have.
    wrongType: { fetchType: 'STORE' },
    template: { limit: '{{ inputs.limit }}' },
    coerce: { props: { limit: '25' }, key: 'limit', expected: 25 },
  },
  [`${P}.ahv.StartVm`]: {
    valid: [{ ...token, vmExtId }],
    wrongType: { vmExtId: 'v', wait: 'maybe' },
  },
  [`${P}.ahv.StopVm`]: {
    valid: [{ ...token, vmExtId, gracefully: true, guest: true }],
    wrongType: { vmExtId: 'v', gracefully: 'softly' },
    template: { vmExtId: 'v', guest: '{{ inputs.guest }}' },
    coerce: { props: { vmExtId: 'v', gracefully: 'true' }, key: 'gracefully', expected: true },
  },
  [`${P}.ahv.DeleteVm`]: {
    valid: [{ ...basic, vmExtId }],
    wrongType: { vmExtId: { id: 'x' } },
  },
  [`${P}.ahv.UpdateVm`]: {
    valid: [{ ...token, vmExtId, vm: { name: 'kestra-demo', description: 'Updated by Kestra', resources: { numSockets: 1, numCoresPerSocket: 2, memorySizeBytes: 2147483648 } } }],
    wrongType: { vmExtId: 'v', vm: { resources: { memorySizeBytes: 'lots' } } },
  },
  [`${P}.snapshot.CreateVmSnapshot`]: {
    valid: [
      { ...token, vmExtId, snapshotName: "daily-backup-{{ now() | date('yyyyMMdd') }}", consistency: 'CRASH_CONSISTENT' },
      { vmExtId: 'v', snapshotName: 'pre-patch', recoveryPointType: 'APPLICATION_CONSISTENT', expirationTime: 'P7D' },
    ],
    wrongType: { vmExtId: 'v', snapshotName: 's', recoveryPointType: 'FUZZY' },
    template: { vmExtId: 'v', snapshotName: 's', recoveryPointType: '{{ inputs.kind }}' },
  },
  [`${P}.snapshot.ListVmSnapshots`]: {
    valid: [{ ...token, vmExtId, orderBy: 'creationTime desc', limit: 10 }],
    wrongType: { limit: 500 },
  },
  [`${P}.snapshot.RestoreVmSnapshot`]: {
    valid: [{ ...token, snapshotExtId }],
    wrongType: { snapshotExtId: 's', wait: 'later' },
  },
  [`${P}.snapshot.DeleteVmSnapshot`]: {
    valid: [{ ...token, snapshotExtId }],
    wrongType: { snapshotExtId: ['a'] },
  },
  [`${P}.snapshot.ReplicateVmSnapshot`]: {
    valid: [{ ...token, snapshotExtId, clusterExtId: "{{ secret('NUTANIX_DR_CLUSTER_EXT_ID') }}" }],
    wrongType: { snapshotExtId: 's', clusterExtId: { extId: 'c' } },
  },
};
