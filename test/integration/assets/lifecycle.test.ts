import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../../../src/assets/service.js';
import { DatabaseAssetStore } from '../../../src/assets/store.js';
import { formatImpact, formatShow } from '../../../src/assets/text.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { Runs } from './support.js';

/**
 * The Windows-VM lifecycle of the issue, driven through the engine's hooks (renderTaskAssets
 * with assets() lookups, then recordTaskAssets), one run per flow, then read back through
 * the service as `/assets show`, `impact` and `graph` would.
 */
const T = 'io.kestra.plugin.ee.assets';
const VM = 'windows-web-01';

describe('Windows VM lifecycle', () => {
  let test: TestDatabase;
  let service: AssetService;
  const executions: Record<string, string> = {};
  let certificate = '';

  beforeAll(async () => {
    test = await createTestDatabase();
    service = new AssetService(test.database);
    const runs = new Runs(test.database);
    const vmInput = { inputs: [{ id: '{{ inputs.target_vm | slugify }}' }] };
    const steps = [
      { flowId: 'create-vm', actor: 'U_ALICE', assets: { outputs: [{ id: '{{ inputs.target_vm }}', type: `${T}.VM`, displayName: 'Windows web 01', metadata: { os: 'Windows Server 2022', cpu: 4 } }] } },
      {
        flowId: 'reserve-ip', actor: 'U_ALICE', inputs: { address: '10.20.0.15' },
        assets: { ...vmInput, outputs: [{ id: "{{ 'ip-' ~ inputs.address }}", type: `${T}.VM.IP`, metadata: { address: '{{ inputs.address }}', vm: '{{ inputs.target_vm }}' } }] },
      },
      // The licence and the admin user also depend on things outside the VM: they survive its removal.
      { flowId: 'apply-licence', actor: 'U_BOB', assets: { inputs: [...vmInput.inputs, { id: 'licence-pool-datacenter' }], outputs: [{ id: 'lic-windows-web-01', type: `${T}.Licence`, metadata: { edition: 'Datacenter' } }] } },
      { flowId: 'onboard-admin', actor: 'U_BOB', assets: { inputs: [...vmInput.inputs, { id: 'ad-corp-example' }], outputs: [{ id: 'user-windows-web-01-svc_patch', type: `${T}.User`, metadata: { username: 'svc_patch' } }] } },
      { flowId: 'install-nginx', actor: 'U_CAROL', assets: { ...vmInput, outputs: [{ id: 'pkg-windows-web-01-nginx', type: `${T}.Package`, metadata: { name: 'nginx', version: '1.27.0' } }] } },
      {
        // The IP is found with assets() + jq from the VM's id, which is only known at run time.
        flowId: 'issue-certificate', actor: 'U_DAVE',
        assets: {
          inputs: [...vmInput.inputs, { id: `{{ assets(type='${T}.VM.IP', metadata={'vm': inputs.target_vm}) | jq('.[0].id') | first }}` }],
          outputs: [{ id: "{{ 'cert-' ~ execution.id }}", type: `${T}.VM.Certificate`, metadata: { issuer: 'LetsEncrypt', valid_until: '2027-05-01', vm: '{{ inputs.target_vm }}' } }],
        },
      },
      // Constant arguments: fetched before the render, from the flow's own templates.
      { flowId: 'snapshot', actor: 'U_ALICE', assets: { ...vmInput, outputs: [{ id: 'snap-windows-web-01-pre-patch', type: `${T}.Snapshot`, metadata: { vms_known: `{{ assets(type='${T}.VM') | length }}` } }] } },
      { flowId: 'snapshot', actor: 'U_ERIN', assets: { ...vmInput, outputs: [{ id: 'snap-windows-web-01-pre-patch', metadata: { size_gb: 40 } }] } },
    ];
    for (const step of steps) {
      const run = await runs.run({ ...step, inputs: { target_vm: VM, ...step.inputs } });
      executions[`${step.flowId}:${run.executionId}`] = run.executionId;
      if (step.flowId === 'issue-certificate') certificate = run.declared.outputs[0]?.id ?? '';
    }
  });
  afterAll(() => test.drop());

  it('shows the VM with its six downstream assets and every run in its history', async () => {
    const view = await service.show(VM);
    expect(view.asset).toMatchObject({ id: VM, type: `${T}.VM`, displayName: 'Windows web 01', metadata: { os: 'Windows Server 2022', cpu: 4 } });
    expect(view.asset.createdBy).toMatchObject({ flowId: 'create-vm', actor: 'U_ALICE', taskId: 'main' });
    expect(view.upstream).toEqual([]);
    expect(view.downstream.map((entry) => [entry.id, entry.type, entry.depth])).toEqual([
      [certificate, `${T}.VM.Certificate`, 1],
      ['ip-10.20.0.15', `${T}.VM.IP`, 1],
      ['lic-windows-web-01', `${T}.Licence`, 1],
      ['pkg-windows-web-01-nginx', `${T}.Package`, 1],
      ['snap-windows-web-01-pre-patch', `${T}.Snapshot`, 1],
      ['user-windows-web-01-svc_patch', `${T}.User`, 1],
    ]);
    expect(view.events.map((event) => [event.kind, event.flowId, event.actor])).toEqual([
      ['CREATED', 'create-vm', 'U_ALICE'],
      ['USED', 'reserve-ip', 'U_ALICE'],
      ['USED', 'apply-licence', 'U_BOB'],
      ['USED', 'onboard-admin', 'U_BOB'],
      ['USED', 'install-nginx', 'U_CAROL'],
      ['USED', 'issue-certificate', 'U_DAVE'],
      ['USED', 'snapshot', 'U_ALICE'],
      ['USED', 'snapshot', 'U_ERIN'],
    ]);
    expect(new Set(view.events.map((event) => event.executionId)).size).toBe(8);
    const text = formatShow(view);
    expect(text).toContain('downstream — what depends on it (6, up to 3 hops)');
    expect(text).toMatch(/USED\s+by U_DAVE {2}company\.infra\.issue-certificate · execution exec006 · task main/);
  });

  it('gives the certificate two upstreams: the VM and the IP found with assets() | jq', async () => {
    expect(certificate).toBe('cert-exec006');
    const view = await service.show(certificate);
    expect(view.upstream.map((entry) => [entry.id, entry.depth])).toEqual([['ip-10.20.0.15', 1], [VM, 1]]);
    expect(view.asset.metadata).toEqual({ issuer: 'LetsEncrypt', valid_until: '2027-05-01', vm: VM });
    expect(view.events).toMatchObject([{ kind: 'CREATED', flowId: 'issue-certificate', executionId: 'exec006', actor: 'U_DAVE' }]);
  });

  it('updates the snapshot in place, recording the merge, with the VM count looked up before rendering', async () => {
    const view = await service.show('snap-windows-web-01-pre-patch');
    expect(view.asset.metadata).toEqual({ vms_known: 1, size_gb: 40 });
    expect(view.events.map((event) => event.kind)).toEqual(['CREATED', 'UPDATED']);
    expect(view.events[1]).toMatchObject({ actor: 'U_ERIN', details: { metadata: { size_gb: { to: 40 } }, fields: {} } });
  });

  it('reports what removing the VM would orphan: all but what other assets still feed', async () => {
    const impact = await service.impact(VM);
    expect(impact.impacted.map((entry) => [entry.id, entry.orphaned])).toEqual([
      [certificate, true],
      ['ip-10.20.0.15', true],
      ['lic-windows-web-01', false],
      ['pkg-windows-web-01-nginx', true],
      ['snap-windows-web-01-pre-patch', true],
      ['user-windows-web-01-svc_patch', false],
    ]);
    expect(impact.orphaned).toHaveLength(4);
    expect(impact.truncated).toBe(false);
    expect(formatImpact(impact)).toContain('6 asset(s) downstream, 4 would be orphaned');
    // The EXTERNAL inputs exist from their first use on.
    expect((await service.show('licence-pool-datacenter')).asset).toMatchObject({ type: 'EXTERNAL' });
  });

  it('draws the lineage as DOT and PNG', async () => {
    const graph = await service.graph(certificate, { depth: 2 });
    expect(graph.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(graph.dot).toContain(`"${VM}" -> "${certificate}";`);
    expect(graph.dot).toContain(`"ip-10.20.0.15" -> "${certificate}";`);
    // Lineage, not neighbourhood: the certificate and what it depends on; the VM's other dependants are not drawn.
    expect([graph.nodes, graph.edges]).toEqual([3, 3]);
    expect(graph.dot).toContain(`"${VM}" -> "ip-10.20.0.15";`);
  }, 30_000);

  it('lists what each execution touched, for its status message', async () => {
    const touched = await service.forExecution('exec006');
    expect(touched).toEqual({
      created: [{ id: certificate, type: `${T}.VM.Certificate` }],
      updated: [],
      used: [{ id: VM, type: `${T}.VM` }, { id: 'ip-10.20.0.15', type: `${T}.VM.IP` }],
      deleted: [],
    });
  });

  it('keeps the history of a deleted VM and leaves it out of lists', async () => {
    const store = new DatabaseAssetStore(test.database);
    const origin = { executionId: 'exec-del', namespace: 'company.infra', flowId: 'decommission', taskId: 'delete', taskRunId: 'tr-del', actor: 'U_ALICE', at: '2026-11-22T09:00:00.000Z' };
    expect(await store.delete(origin, VM)).toBe('deleted');
    const view = await service.show(VM);
    expect(view.asset.deleted).toBe('2026-11-22T09:00:00.000Z');
    expect(view.events.at(-1)).toMatchObject({ kind: 'DELETED', flowId: 'decommission', actor: 'U_ALICE' });
    expect(view.downstream).toHaveLength(6);
    expect((await service.list({ types: [`${T}.VM`] })).assets).toEqual([]);
    expect((await service.list({ types: [`${T}.VM`], includeDeleted: true })).assets.map((asset) => asset.id)).toEqual([VM]);
    // With the VM gone, the IP has no live upstream left: removing it orphans the certificate only if nothing else feeds it.
    const impact = await service.impact('ip-10.20.0.15');
    expect(impact.impacted.map((entry) => [entry.id, entry.orphaned])).toEqual([[certificate, true]]);
  });
});
