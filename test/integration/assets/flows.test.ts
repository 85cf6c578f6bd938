import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../../../src/assets/service.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';

/**
 * The Windows-VM lifecycle through real flows: each run declares `assets` on its tasks; the
 * engine records them when the task succeeds; the certificate finds the VM's IP asset with
 * `assets(type=…) | jq(…)`. Then show / impact answer from the lineage.
 */
const asset = (type: string) => `io.kestra.plugin.ee.assets.VM.${type}`;
const flows = [
  `
id: create-vm
namespace: infra
inputs:
  - id: name
    type: STRING
tasks:
  - id: create
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.name }}"
    assets:
      outputs:
        - id: "{{ outputs.create.value }}"
          type: io.kestra.plugin.ee.assets.VM
          metadata: { os: windows, provider: nutanix }
`,
  `
id: attach
namespace: infra
inputs:
  - id: vm
    type: STRING
  - id: kind
    type: STRING
  - id: thing
    type: STRING
tasks:
  - id: attach
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.kind }} {{ inputs.thing }} on {{ inputs.vm }}"
    assets:
      inputs:
        - id: "{{ inputs.vm }}"
      outputs:
        - id: "{{ inputs.thing }}"
          type: "io.kestra.plugin.ee.assets.VM.{{ inputs.kind }}"
          metadata: { vm: "{{ inputs.vm }}" }
`,
  `
id: certificate
namespace: infra
inputs:
  - id: vm
    type: STRING
tasks:
  - id: issue
    type: io.kestra.plugin.core.log.Log
    message: "issuing for {{ inputs.vm }}"
    assets:
      inputs:
        - id: "{{ inputs.vm }}"
        - id: "{{ assets(type='${asset('IP')}', metadata={'vm': inputs.vm}) | jq('.[0].id') | first }}"
      outputs:
        - id: "{{ 'cert-' ~ inputs.vm }}"
          type: ${asset('Certificate')}
          metadata: { issuer: LetsEncrypt, valid_until: "2027-05-01" }
`,
];

describe('assets declared by flows', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(...flows);
  });
  afterAll(() => engine.close());

  it('records the lifecycle with lineage, history and impact', async () => {
    const vm = 'windows-web-01';
    expect((await engine.run('infra.create-vm', { name: vm }, 'U0ALICE')).state).toBe('SUCCESS');
    for (const [kind, thing] of [['IP', 'ip-10-0-0-21'], ['Licence', 'lic-win-2025'], ['User', 'admin-ops'], ['Package', 'nginx-1.27'], ['Snapshot', 'snap-pre-patch']]) {
      expect((await engine.run('infra.attach', { vm, kind, thing }, 'U0BOB')).state).toBe('SUCCESS');
    }
    const cert = await engine.run('infra.certificate', { vm }, 'U0CAROL');
    expect(cert.taskRuns[0]?.error ?? null).toBeNull();
    expect(cert.state).toBe('SUCCESS');

    const service = new AssetService(engine.service.database);
    const shown = await service.show(vm);
    expect(shown.downstream.map((entry) => entry.id).sort()).toEqual(
      ['admin-ops', `cert-${vm}`, 'ip-10-0-0-21', 'lic-win-2025', 'nginx-1.27', 'snap-pre-patch'].sort(),
    );
    const certificate = await service.show(`cert-${vm}`);
    expect(certificate.upstream.map((entry) => entry.id).sort()).toEqual(['ip-10-0-0-21', vm]);
    expect(certificate.asset.metadata).toMatchObject({ issuer: 'LetsEncrypt' });
    // History names each run and who started it.
    const created = shown.events.find((event) => event.kind === 'CREATED');
    expect(created).toMatchObject({ actor: 'U0ALICE', flowId: 'create-vm', taskId: 'create' });
    expect(shown.events.filter((event) => event.kind === 'USED').length).toBeGreaterThanOrEqual(6);

    const impact = await service.impact(vm);
    expect(impact.impacted.map((entry) => entry.id)).toContain(`cert-${vm}`);
    // The certificate still has the IP upstream, but the IP is itself impacted: orphaned too.
    expect(impact.orphaned.map((entry) => entry.id).sort()).toEqual(
      ['admin-ops', `cert-${vm}`, 'ip-10-0-0-21', 'lic-win-2025', 'nginx-1.27', 'snap-pre-patch'].sort(),
    );
  });

  it('fails the task with a clear message when its assets cannot be rendered', async () => {
    const view = await engine.run('infra.attach', { vm: 'x', kind: 'IP', thing: '' }, 'U0BOB');
    expect(view.state).toBe('FAILED');
    expect(view.taskRuns[0]?.error).toMatch(/assets could not be recorded.*assets\.outputs\[0\]\.id/);
  });
});
