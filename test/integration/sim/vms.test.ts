import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/sim/index.js';
import { SimClient } from './client.js';

const VMS = '/api/vmm/v4.0/ahv/config/vms';
let sim: Simulator;
let client: SimClient;

beforeAll(async () => {
  sim = await startSimulator({ guests: false });
  client = new SimClient(sim);
});

afterAll(async () => {
  await client.close();
  await sim.stop();
});

const vmId = (name: string) => sim.vm(name)!.extId;
const names = (reply: { body: { data: { name: string }[] } }) => reply.body.data.map((vm) => vm.name);

describe('auth', () => {
  it('refuses a call without credentials or with a wrong key, with a v4 error body', async () => {
    const none = await client.call('GET', VMS, { auth: 'none' });
    expect(none.status).toBe(401);
    expect(none.body.data.error[0]).toMatchObject({ code: 'PLAT-10401', $objectType: 'vmm.v4.error.AppMessage' });
    const wrong = await client.call('GET', VMS, { auth: 'none', headers: { 'x-ntnx-api-key': 'nope' } });
    expect(wrong.status).toBe(401);
  });

  it('accepts the API key and HTTP Basic', async () => {
    expect((await client.call('GET', VMS)).status).toBe(200);
    expect((await client.call('GET', VMS, { auth: 'basic' })).status).toBe(200);
  });
});

describe('list and get', () => {
  it('lists the seeded VMs in the v4 envelope, any v4.N version', async () => {
    const reply = await client.call('GET', '/api/vmm/v4.3/ahv/config/vms');
    expect(reply.body.$objectType).toBe('vmm.v4.ahv.config.ListVmsApiResponse');
    expect(names(reply)).toEqual(expect.arrayContaining(['prod-web-01', 'uat-web-01', 'windows-web-01', 'finance-db-01', 'scratch-vm-01']));
    expect(reply.body.metadata.totalAvailableResults).toBe(reply.body.data.length);
    expect(reply.body.data[0]).toMatchObject({ $objectType: 'vmm.v4.ahv.config.Vm', cluster: { extId: sim.clusterExtId } });
  });

  it('filters, sorts, selects and pages', async () => {
    const on = await client.call('GET', `${VMS}?$filter=${encodeURIComponent("powerState eq 'ON'")}&$orderby=${encodeURIComponent('name desc')}&$select=name`);
    expect(names(on)).toEqual(['windows-web-01', 'uat-web-01', 'prod-web-01']);
    expect(Object.keys(on.body.data[0]).sort()).toEqual(['$objectType', '$reserved', 'extId', 'name']);
    const page = await client.call('GET', `${VMS}?$orderby=name&$limit=2&$page=1`);
    expect(names(page)).toEqual(['scratch-vm-01', 'uat-web-01']);
    expect(page.body.metadata.totalAvailableResults).toBe(5);
    expect(page.body.metadata.links.map((link: { rel: string }) => link.rel)).toEqual(['first', 'self', 'last', 'prev', 'next']);
  });

  it('filters by category with a lambda and by nested cluster path', async () => {
    const categories = await client.call('GET', `/api/prism/v4.0/config/categories?$filter=${encodeURIComponent("key eq 'Department' and value eq 'Finance'")}`);
    const finance = categories.body.data[0].extId;
    const reply = await client.call('GET', `${VMS}?$filter=${encodeURIComponent(`categories/any(c: c/extId eq '${finance}') and cluster/extId eq '${sim.clusterExtId}'`)}`);
    expect(names(reply)).toEqual(['finance-db-01']);
  });

  it('answers a bad filter with 400 naming the option and position', async () => {
    const reply = await client.call('GET', `${VMS}?$filter=${encodeURIComponent("name eq 'a' and")}`);
    expect(reply.status).toBe(400);
    expect(reply.body.data.error[0].message).toMatch(/^\$filter: expected .* at position 16/);
    const limit = await client.call('GET', `${VMS}?$limit=500`);
    expect(limit.body.data.error[0].message).toMatch(/^\$limit: must be an integer from 1 to 100/);
  });

  it('gets one VM with an ETag header, 404 VMM-20005 for an unknown one', async () => {
    const reply = await client.call('GET', `${VMS}/${vmId('prod-web-01')}`);
    expect(reply.status).toBe(200);
    expect(reply.body.$objectType).toBe('vmm.v4.ahv.config.GetVmApiResponse');
    expect(reply.headers.etag).toMatch(/\S+/);
    expect(reply.body.data).toMatchObject({ name: 'prod-web-01', powerState: 'ON', numSockets: 2, memorySizeBytes: 4 * 1024 ** 3 });
    expect(reply.body.data.simulatedGuest).toBeUndefined(); // guests disabled: no IP
    const missing = await client.call('GET', `${VMS}/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.data.error[0].code).toBe('VMM-20005');
  });

  it('answers unknown paths and methods with v4 errors', async () => {
    expect((await client.call('GET', '/api/vmm/v4.0/ahv/config/widgets')).status).toBe(404);
    expect((await client.call('GET', '/api/vmm/v3.0/ahv/config/vms')).status).toBe(404);
    const method = await client.call('PATCH', `${VMS}/${vmId('prod-web-01')}`);
    expect(method.status).toBe(405);
  });
});

describe('create', () => {
  it('creates a VM through a task whose entitiesAffected names it, powered on when asked', async () => {
    const task = await client.task('POST', VMS, { body: { name: 'app-01', numSockets: 2, numCoresPerSocket: 2, memorySizeBytes: 2 * 1024 ** 3, powerState: 'ON', cluster: { extId: sim.clusterExtId } } });
    expect(task).toMatchObject({ status: 'SUCCEEDED', operation: 'CreateVm', progressPercentage: 100 });
    const vmRef = task.entitiesAffected.find((entity: { rel: string }) => entity.rel === 'vmm:ahv:config:vm');
    const vm = (await client.call('GET', `${VMS}/${vmRef.extId}`)).body.data;
    expect(vm).toMatchObject({ name: 'app-01', powerState: 'ON', numCoresPerSocket: 2, memorySizeBytes: 2 * 1024 ** 3 });
    expect(vm.nics).toHaveLength(1);
    expect(vm.disks).toHaveLength(1);
  });

  it.each([
    [{}, /^name: is required/],
    [{ name: 'x', numSockets: 0 }, /^numSockets: must be at least 1/],
    [{ name: 'x', memorySizeBytes: 1.5 }, /^memorySizeBytes: must be a whole number/],
    [{ name: 'x', cluster: { extId: 'nope' } }, /^cluster\.extId: no cluster with extId 'nope'/],
    [{ name: 'x', categories: [{ extId: 'nope' }] }, /^categories\[0\]\.extId: no category with extId 'nope'/],
    [{ name: 'x', disks: [{ backingInfo: { diskSizeBytes: -1 } }] }, /^disks\[0\]\.backingInfo\.diskSizeBytes: must be positive/],
  ])('refuses %j with a 400 naming the field', async (body, pattern) => {
    const reply = await client.call('POST', VMS, { body });
    expect(reply.status).toBe(400);
    expect(reply.body.data.error[0]).toMatchObject({ code: 'VMM-30100', $objectType: 'vmm.v4.error.AppMessage' });
    expect(reply.body.data.error[0].message).toMatch(pattern);
  });

  it('refuses a body that is not JSON', async () => {
    const reply = await client.call('POST', VMS, { body: '{name:' });
    expect(reply.status).toBe(400);
    expect(reply.body.data.error[0].message).toMatch(/^body: not valid JSON/);
  });
});

describe('NTNX-Request-Id', () => {
  it('is required on mutations', async () => {
    const reply = await client.call('POST', VMS, { body: { name: 'x' }, requestId: null });
    expect(reply.status).toBe(400);
    expect(reply.body.data.error[0]).toMatchObject({ code: 'VMM-30400', errorGroup: 'VM_MISSING_REQUEST_ID_HEADER' });
  });

  it('replays the same TaskReference for a repeated id and creates one VM', async () => {
    const requestId = randomUUID();
    const first = await client.call('POST', VMS, { body: { name: 'once-01' }, requestId });
    const second = await client.call('POST', VMS, { body: { name: 'once-01' }, requestId });
    expect(second.status).toBe(202);
    expect(second.body.data.extId).toBe(first.body.data.extId);
    await client.waitTask(first.body.data.extId);
    expect(sim.vms().filter((vm) => vm.name === 'once-01')).toHaveLength(1);
    const elsewhere = await client.call('DELETE', `${VMS}/${vmId('once-01')}`, { requestId, headers: { 'if-match': await client.etag(vmId('once-01')) } });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.data.error[0].message).toMatch(/already used for POST/);
  });
});

describe('ETag and If-Match', () => {
  it('refuses a PUT without If-Match (428) or with a stale one (412), applies a current one and changes the ETag', async () => {
    const extId = vmId('uat-web-01');
    const before = await client.call('GET', `${VMS}/${extId}`);
    const etag = String(before.headers.etag);
    const body = { ...before.body.data, memorySizeBytes: 8 * 1024 ** 3 };
    const missing = await client.call('PUT', `${VMS}/${extId}`, { body });
    expect(missing.status).toBe(428);
    expect(missing.body.data.error[0].code).toBe('PLAT-10004');
    const stale = await client.call('PUT', `${VMS}/${extId}`, { body, headers: { 'if-match': 'stale' } });
    expect(stale.status).toBe(412);
    expect(stale.body.data.error[0]).toMatchObject({ code: 'PLAT-10005', message: 'Invalid eTag header' });
    const task = await client.task('PUT', `${VMS}/${extId}`, { body, headers: { 'if-match': `"${etag}"` } });
    expect(task.status).toBe('SUCCEEDED');
    const after = await client.call('GET', `${VMS}/${extId}`);
    expect(after.body.data.memorySizeBytes).toBe(8 * 1024 ** 3);
    expect(after.headers.etag).not.toBe(etag);
    const again = await client.call('PUT', `${VMS}/${extId}`, { body, headers: { 'if-match': etag } });
    expect(again.status).toBe(412);
  });

  it('refuses a PUT whose body names another VM', async () => {
    const extId = vmId('uat-web-01');
    const reply = await client.call('PUT', `${VMS}/${extId}`, { body: { extId: randomUUID(), name: 'x' }, headers: { 'if-match': await client.etag(extId) } });
    expect(reply.status).toBe(400);
    expect(reply.body.data.error[0].message).toMatch(/^extId: .* does not match the VM in the path/);
  });

  it('deletes with If-Match only', async () => {
    await client.task('POST', VMS, { body: { name: 'doomed-01' } });
    const extId = vmId('doomed-01');
    expect((await client.call('DELETE', `${VMS}/${extId}`)).status).toBe(428);
    const task = await client.task('DELETE', `${VMS}/${extId}`, { headers: { 'if-match': await client.etag(extId) } });
    expect(task).toMatchObject({ status: 'SUCCEEDED', operation: 'DeleteVm' });
    expect(sim.vm('doomed-01')).toBeUndefined();
  });
});

describe('power actions and categories', () => {
  it('powers off and on; a stale If-Match is refused even where it is optional', async () => {
    const extId = vmId('windows-web-01');
    const stale = await client.call('POST', `${VMS}/${extId}/$actions/power-off`, { headers: { 'if-match': 'old' } });
    expect(stale.status).toBe(412);
    expect((await client.task('POST', `${VMS}/${extId}/$actions/power-off`)).operation).toBe('PowerOffVm');
    expect(sim.vm(extId)!.powerState).toBe('OFF');
    const reboot = await client.task('POST', `${VMS}/${extId}/$actions/reboot`);
    expect(reboot.status).toBe('FAILED');
    expect(reboot.errorMessages[0].message).toMatch(/powered off/);
    await client.task('POST', `${VMS}/${extId}/%24actions/power-on`);
    expect(sim.vm(extId)!.powerState).toBe('ON');
    expect((await client.task('POST', `${VMS}/${extId}/$actions/guest-reboot`)).status).toBe('SUCCEEDED');
  });

  it('associates and disassociates categories', async () => {
    const created = await client.call('POST', '/api/prism/v4.0/config/categories', { body: { key: 'Owner', value: 'ops' } });
    expect(created.status).toBe(201);
    const category = created.body.data.extId;
    const extId = vmId('scratch-vm-01');
    await client.task('POST', `${VMS}/${extId}/$actions/associate-categories`, { body: { categories: [{ extId: category }] } });
    expect(sim.vm(extId)!.categories).toEqual([{ extId: category }]);
    const inUse = await client.call('DELETE', `/api/prism/v4.0/config/categories/${category}`);
    expect(inUse.status).toBe(409);
    await client.task('POST', `${VMS}/${extId}/$actions/disassociate-categories`, { body: { categories: [{ extId: category }] } });
    expect(sim.vm(extId)!.categories).toEqual([]);
    expect((await client.call('DELETE', `/api/prism/v4.0/config/categories/${category}`)).status).toBe(204);
    const bad = await client.call('POST', `${VMS}/${extId}/$actions/associate-categories`, { body: { categories: [] } });
    expect(bad.body.data.error[0].message).toMatch(/^categories: must list at least one category/);
  });

  it('lists clusters and refuses duplicate categories', async () => {
    const clusters = await client.call('GET', '/api/clustermgmt/v4.0/config/clusters');
    expect(clusters.body.data.map((cluster: { name: string; extId: string }) => [cluster.name, cluster.extId])).toEqual([
      ['PC-Cluster-01', sim.clusterExtId],
      ['DR-Cluster-01', sim.drClusterExtId],
    ]);
    const duplicate = await client.call('POST', '/api/prism/v4.0/config/categories', { body: { key: 'Department', value: 'Web' } });
    expect(duplicate.status).toBe(409);
    const missing = await client.call('POST', '/api/prism/v4.0/config/categories', { body: { key: 'Department' } });
    expect(missing.body.data.error[0]).toMatchObject({ code: 'PRISM-30100', $objectType: 'prism.v4.error.AppMessage' });
    expect(missing.body.data.error[0].message).toMatch(/^value: is required/);
  });
});
