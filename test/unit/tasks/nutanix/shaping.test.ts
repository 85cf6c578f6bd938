import { describe, expect, it } from 'vitest';
import { stopAction } from '../../../../src/tasks/nutanix/ahv/StopVm.js';
import { expirationTimestamp } from '../../../../src/tasks/nutanix/snapshot/CreateVmSnapshot.js';
import { pickVmRecoveryPoint } from '../../../../src/tasks/nutanix/snapshot/RestoreVmSnapshot.js';
import { createdRecoveryPoint, shapeRecoveryPoint } from '../../../../src/tasks/nutanix/snapshot/recovery-points.js';
import { odataString, shapeVm, vmAsset, vmIpAddresses } from '../../../../src/tasks/nutanix/vm.js';
import { vmBody } from '../../../../src/tasks/nutanix/vm-spec.js';

const nic = (networkInfo: Record<string, unknown>) => ({ extId: 'n', networkInfo });

describe('VM outputs', () => {
  const raw = {
    $objectType: 'vmm.v4.ahv.config.Vm',
    $reserved: { $fv: 'v4.r0' },
    extId: 'vm-1',
    name: 'prod-web-01',
    powerState: 'ON',
    cluster: { extId: 'cl-1' },
    numSockets: 2,
    numCoresPerSocket: 1,
    memorySizeBytes: 4096,
    nics: [
      nic({ ipv4Config: { ipAddress: { value: '10.0.0.5', prefixLength: 24 } }, ipv4Info: { learnedIpAddresses: [{ value: '10.0.0.5' }, { value: '10.0.0.6' }] } }),
      nic({ ipv4Info: { learnedIpAddresses: ['192.168.1.9'] } }),
    ],
  };

  it('collects static then learned addresses, NIC by NIC, without duplicates', () => {
    expect(vmIpAddresses(raw)).toEqual(['10.0.0.5', '10.0.0.6', '192.168.1.9']);
    expect(vmIpAddresses({ nics: [nic({})] })).toEqual([]);
  });

  it('adds ip, ports 22/80, clusterExtId and Kestra resources; drops $-stamps', () => {
    const vm = shapeVm(raw);
    expect(vm).toMatchObject({ extId: 'vm-1', name: 'prod-web-01', powerState: 'ON', ip: '10.0.0.5', sshPort: 22, httpPort: 80, clusterExtId: 'cl-1' });
    expect(vm.resources).toMatchObject({ numSockets: 2, numCoresPerSocket: 1, memorySizeBytes: 4096, disks: [] });
    expect(vm).not.toHaveProperty('$objectType');
    expect(vm).not.toHaveProperty('healthUrl');
    expect(shapeVm({ name: 'x' }).ip).toBeNull();
  });

  it("takes the simulated guest's address, ports and health URL, and hides the field itself", () => {
    const vm = shapeVm({ ...raw, simulatedGuest: { ip: '127.0.0.1', sshPort: 40022, httpPort: 40080, healthUrl: 'http://127.0.0.1:40080/health' } });
    expect(vm).toMatchObject({ ip: '127.0.0.1', sshPort: 40022, httpPort: 40080, healthUrl: 'http://127.0.0.1:40080/health' });
    expect(vm.ipAddresses).toEqual(['127.0.0.1', '10.0.0.5', '10.0.0.6', '192.168.1.9']);
    expect(vm).not.toHaveProperty('simulatedGuest');
  });

  it('records the VM asset under its name, with provider, cluster, extId and ip', () => {
    expect(vmAsset(shapeVm(raw), 'prod-web-01')).toEqual({
      id: 'prod-web-01',
      type: 'io.kestra.plugin.ee.assets.VM',
      metadata: { provider: 'nutanix', extId: 'vm-1', clusterExtId: 'cl-1', ip: '10.0.0.5' },
    });
  });

  it('flattens Kestra resources into the v4 body and keeps output-only fields out', () => {
    const body = vmBody({ name: 'web', extId: 'x', ip: '1.2.3.4', cluster: { extId: 'c' }, machineType: 'Q35', resources: { numSockets: 1, memorySizeBytes: 1024 }, categories: ['raw'] }, [{ extId: 'cat-1' }]);
    expect(body).toEqual({ name: 'web', cluster: { extId: 'c' }, machineType: 'Q35', numSockets: 1, memorySizeBytes: 1024, categories: [{ extId: 'cat-1' }] });
  });

  it('escapes quotes in OData string literals', () => {
    expect(odataString("it's")).toBe("'it''s'");
  });
});

describe('snapshot helpers', () => {
  const rp = { extId: 'rp-1', name: 'pre', $objectType: 'x', vmRecoveryPoints: [{ extId: 'vrp-1', vmExtId: 'vm-1' }, { extId: 'vrp-2', vmExtId: 'vm-2' }] };

  it('picks the VM recovery point of the VM, or the only one, and says why otherwise', () => {
    expect(pickVmRecoveryPoint(rp, 'rp-1', 'vm-2').extId).toBe('vrp-2');
    expect(pickVmRecoveryPoint({ vmRecoveryPoints: [{ extId: 'only', vmExtId: 'v' }] }, 'rp', undefined).extId).toBe('only');
    expect(() => pickVmRecoveryPoint(rp, 'rp-1', undefined)).toThrow('`vmExtId`: recovery point rp-1 holds 2 VMs (vm-1, vm-2); say which to revert');
    expect(() => pickVmRecoveryPoint(rp, 'rp-1', 'vm-9')).toThrow('holds no recovery point of VM vm-9');
  });

  it('outputs snapshotExtId and vmExtIds', () => {
    expect(shapeRecoveryPoint(rp)).toMatchObject({ snapshotExtId: 'rp-1', vmExtIds: ['vm-1', 'vm-2'], name: 'pre' });
    expect(shapeRecoveryPoint(rp)).not.toHaveProperty('$objectType');
  });

  it('finds the new recovery point of a create or replicate task, never the source', () => {
    expect(createdRecoveryPoint({ completionDetails: [{ name: 'recoveryPointExtId', value: 'rp-new' }] })).toBe('rp-new');
    const replicate = { entitiesAffected: [{ extId: 'rp-1', rel: 'dataprotection:config:recovery-point' }, { extId: 'rp-2', rel: 'dataprotection:config:recovery-point' }] };
    expect(createdRecoveryPoint(replicate, 'rp-1')).toBe('rp-2');
    expect(createdRecoveryPoint({ completionDetails: [{ name: 'recoveryPointExtId', value: 'rp-1' }] }, 'rp-1')).toBeUndefined();
  });

  it('turns expirationTime into an absolute UTC time, refusing the past and nonsense', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    expect(expirationTimestamp('P7D', now)).toBe('2026-11-28T10:00:00Z');
    expect(expirationTimestamp('2027-01-01T12:00:00+01:00', now)).toBe('2027-01-01T11:00:00Z');
    expect(() => expirationTimestamp('2020-01-01T00:00:00Z', now)).toThrow('`expirationTime`: 2020-01-01T00:00:00Z is in the past');
    expect(() => expirationTimestamp('next week', now)).toThrow('neither an ISO-8601 timestamp');
  });
});

describe('StopVm actions', () => {
  it('maps Kestra gracefully/guest to power-off, shutdown and guest-shutdown', () => {
    expect(stopAction(false, false)).toBe('power-off');
    expect(stopAction(true, false)).toBe('shutdown');
    expect(stopAction(true, true)).toBe('guest-shutdown');
    expect(stopAction(false, true)).toBe('guest-shutdown');
  });
});
