/**
 * Small patch flows that follow the shipped-flow convention (outputs `vm` and `result`) without
 * needing Nutanix: a success that takes and cleans up a recovery point (Snapshot assets), a
 * failure that declares `rolled_back`, one left waiting on a HumanTask, one approved, an
 * orchestration that approves then runs the patch as a subflow, and a flow that names no VM.
 */
const SNAPSHOT = 'io.kestra.plugin.ee.assets.VM.Snapshot';

export const PATCH_OK = `
id: patch-ok
namespace: company.ops
inputs:
  - id: vm
    type: STRING
tasks:
  - id: snapshot
    type: io.kestra.plugin.kestra.ee.assets.Set
    assetId: "rp-{{ inputs.vm }}-{{ execution.id }}"
    assetType: ${SNAPSHOT}
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: "patching {{ inputs.vm }}"
  - id: cleanup
    type: io.kestra.plugin.kestra.ee.assets.Delete
    assetId: "rp-{{ inputs.vm }}-{{ execution.id }}"
outputs:
  - id: vm
    type: STRING
    value: "{{ inputs.vm }}"
  - id: result
    type: STRING
    value: patched
`;

export const PATCH_ROLLBACK = `
id: patch-rollback
namespace: company.ops
inputs:
  - id: vm
    type: STRING
tasks:
  - id: snapshot
    type: io.kestra.plugin.kestra.ee.assets.Set
    assetId: "rp-{{ inputs.vm }}-{{ execution.id }}"
    assetType: ${SNAPSHOT}
  - id: health
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "health check failed on {{ inputs.vm }}"
errors:
  - id: revert
    type: io.kestra.plugin.core.log.Log
    message: "reverted {{ inputs.vm }} from its recovery point"
outputs:
  - id: vm
    type: STRING
    value: "{{ inputs.vm }}"
  - id: result
    type: STRING
    value: rolled_back
`;

export const PATCH_GATED = `
id: patch-gated
namespace: company.ops
inputs:
  - id: vm
    type: STRING
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    description: "Patch {{ inputs.vm }}?"
    assignment:
      users: [UBOB, UCAROL]
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: "patching {{ inputs.vm }}"
outputs:
  - id: vm
    type: STRING
    value: "{{ inputs.vm }}"
`;

export const ORCHESTRATION = `
id: patch-orchestration
namespace: company.ops
inputs:
  # Not \`vm\`: the orchestration itself is no patch run, its subflow is.
  - id: target
    type: STRING
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    assignment:
      users: [UCAROL]
  - id: patch
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.ops
    flowId: patch-ok
    inputs:
      vm: "{{ inputs.target }}-child"
`;

export const NO_VM = `
id: housekeeping
namespace: company.ops
tasks:
  - id: tidy
    type: io.kestra.plugin.core.log.Log
    message: tidy
`;

export const OTHER_NAMESPACE = `
id: patch-ok
namespace: lab.ops
inputs:
  - id: vm
    type: STRING
tasks:
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: "patching {{ inputs.vm }}"
`;

/** A scheduled patch flow (the next window) in the Europe/Paris zone. */
export const SCHEDULED = `
id: patch-saturday
namespace: company.ops
inputs:
  - id: vm
    type: STRING
    defaults: fleet
triggers:
  - id: window
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * 6"
    timezone: Europe/Paris
tasks:
  - id: noop
    type: io.kestra.plugin.core.log.Log
    message: noop
`;

export const REPORT_TASK = `
id: report-now
namespace: company.reports
inputs:
  - id: channel
    type: STRING
    required: false
tasks:
  - id: report
    type: patchbay.reports.PatchWindow
    since: P1D
    channel: "{{ inputs.channel ?? '' }}"
    flows: [patch-*]
    namespace: company.ops
`;
