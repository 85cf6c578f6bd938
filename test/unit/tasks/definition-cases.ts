/**
 * One case per registered task type, keyed by its canonical name, taken from Kestra's own
 * documentation examples where it has one (id and type left out: the flow schema owns them).
 */
import { NUTANIX_CASES } from './nutanix/definition-cases.js';
import { REPORT_CASES } from '../reports/definition-cases.js';

type Props = Record<string, unknown>;

export interface DefinitionCase {
  /** Kestra documentation example(s); each must load and, rendered, run. */
  valid: Props[];
  /** A property of the wrong type: refused when the flow loads. */
  wrongType: Props;
  /** A dynamic non-string property holding a template: accepted when the flow loads. */
  template?: Props;
  /** In run mode, `props[key]` (a rendered string) comes out as `expected`. */
  coerce?: { props: Props; key: string; expected: unknown };
}

const log = (id: string) => ({ id, type: 'io.kestra.plugin.core.log.Log', message: id });
const ssh = { host: 'localhost', commands: ['ls'] };

export const CASES: Record<string, DefinitionCase> = {
  'io.kestra.plugin.core.log.Log': {
    valid: [{ message: 'Hello {{ flow.id }}', level: 'WARN' }, { message: ['one', 'two'] }],
    wrongType: { message: 42 },
    template: { message: 'x', level: '{{ inputs.level }}' },
  },
  'io.kestra.plugin.core.debug.Return': {
    valid: [{ format: '{{ task.id }} > {{ taskrun.startDate }}' }],
    wrongType: { format: ['a list'] },
  },
  'io.kestra.plugin.core.debug.Echo': {
    valid: [{ level: 'WARN', format: '{{ task.id }} > {{ taskrun.startDate }}' }],
    wrongType: { level: 'LOUD' },
    template: { level: '{{ inputs.level }}' },
  },
  'io.kestra.plugin.core.output.OutputValues': {
    valid: [{ values: { taskrun_data: '{{ task.id }} > {{ taskrun.startDate }}', count: 3, nested: { a: [1] } } }],
    wrongType: { values: 'not a map' },
    template: { values: '{{ outputs.previous.values }}' },
  },
  'io.kestra.plugin.core.flow.Sequential': {
    valid: [{ tasks: [log('a'), log('b')] }],
    wrongType: { tasks: 'not a list' },
  },
  'io.kestra.plugin.core.flow.Parallel': {
    valid: [{ tasks: [log('a'), log('b')] }, { tasks: [log('a')], concurrent: 2, failFast: true }],
    wrongType: { tasks: [log('a')], concurrent: 'two' },
    template: { tasks: [log('a')], concurrent: '{{ inputs.n }}' },
    coerce: { props: { tasks: [log('a')], concurrent: '5' }, key: 'concurrent', expected: 5 },
  },
  'io.kestra.plugin.core.flow.If': {
    valid: [{ condition: '{{ inputs.x == "yes" }}', then: [log('a')], else: [log('b')] }, { condition: true, then: [log('a')] }],
    wrongType: { condition: '{{ true }}', then: { id: 'a' } },
  },
  'io.kestra.plugin.core.flow.Switch': {
    valid: [{ value: '{{ inputs.string }}', cases: { FIRST: [log('a')], SECOND: [log('b')] }, defaults: [log('c')] }],
    wrongType: { value: 'x', cases: { FIRST: 'not a list' } },
  },
  'io.kestra.plugin.core.flow.ForEach': {
    valid: [{ values: ['value 1', 'value 2', 'value 3'], concurrencyLimit: 2, tasks: [log('a')] }, { values: [1, 2, 3], tasks: [log('a')] }],
    wrongType: { values: 5, tasks: [log('a')] },
    template: { values: '{{ outputs.query.rows }}', concurrencyLimit: '{{ inputs.n }}', tasks: [log('a')] },
    coerce: { props: { values: '["a","b"]', concurrencyLimit: '0', tasks: [log('a')] }, key: 'concurrencyLimit', expected: 0 },
  },
  'io.kestra.plugin.core.flow.Subflow': {
    valid: [{ namespace: 'company.team', flowId: 'subflow', inputs: { user: 'Rick Astley', favorite_song: 'Never Gonna Give You Up' }, wait: true, transmitFailed: true }],
    wrongType: { namespace: 'a', flowId: 'b', wait: 'yes please' },
    template: { namespace: 'a', flowId: 'b', wait: '{{ inputs.wait }}' },
    coerce: { props: { namespace: 'a', flowId: 'b', revision: '3' }, key: 'revision', expected: 3 },
  },
  'io.kestra.plugin.core.flow.Sleep': {
    valid: [{ duration: 'PT5S' }],
    wrongType: { duration: '5 seconds' },
    template: { duration: '{{ inputs.wait }}' },
  },
  'io.kestra.plugin.core.flow.Pause': {
    valid: [
      {},
      { pauseDuration: 'PT5M', behavior: 'WARN' },
      { onResume: [{ id: 'approved', description: 'Whether to approve the request', type: 'BOOLEAN', defaults: true }] },
      { delay: 'PT1M', tasks: [log('after')] },
      { onPause: log('notify'), behavior: 'CANCEL' },
    ],
    // onPause is one task in Kestra, not a list.
    wrongType: { onPause: [log('notify')] },
    template: { pauseDuration: '{{ inputs.wait }}' },
  },
  'io.kestra.plugin.ee.flow.HumanTask': {
    valid: [{ assignment: { users: ['user1@kestra.io', 'user2@kestra.io'], groups: ['Admins'] } }, { assignment: { groups: ['security-oncall'] }, pauseDuration: 'PT4H' }],
    wrongType: { assignment: { users: 'everyone' } },
    template: { minApprovals: '{{ inputs.approvers }}' },
    coerce: { props: { minApprovals: '2' }, key: 'minApprovals', expected: 2 },
  },
  'io.kestra.plugin.core.flow.Approval': {
    valid: [{ onApprove: [log('approved')], onDeny: [log('denied')] }, { autoApprove: true, commentRequired: 'ON_DENY', decisions: { approve: 'Go', deny: 'Stop' } }],
    wrongType: { denyBehavior: 'EXPLODE' },
    template: { autoApprove: '{{ inputs.auto }}' },
    coerce: { props: { minApprovals: '3' }, key: 'minApprovals', expected: 3 },
  },
  'io.kestra.plugin.core.execution.Fail': {
    valid: [{ condition: '{{ inputs.param == "fail" }}' }, { errorMessage: 'Something went wrong, make sure to fix it asap!' }],
    wrongType: { errorMessage: { text: 'no' } },
  },
  'io.kestra.plugin.core.execution.Assert': {
    valid: [{ conditions: ["{{ inputs.param == 'ok' }}", '{{ 1 + 1 == 3 }}'] }],
    wrongType: { conditions: 'not a list' },
    template: { conditions: '{{ vars.checks }}' },
  },
  'io.kestra.plugin.core.http.Request': {
    valid: [
      { uri: 'http://host.docker.internal:8080/api/v1/executions/dev/inputs_demo', method: 'POST', contentType: 'multipart/form-data', formData: { user: 'John Doe' }, options: { auth: { type: 'BASIC', username: "{{ secret('API_USERNAME') }}", password: "{{ secret('API_PASSWORD') }}" } } },
      { uri: 'https://reqres.in/api/long-request', method: 'GET', options: { connectTimeout: 'PT1M', readTimeout: 'PT30S', connectionPoolIdleTimeout: 'PT10S', readIdleTimeout: 'PT10M' } },
      { uri: 'https://dummyjson.com/user/me', headers: { 'X-API-KEY': 'abcde12345', 'X-Count': 5 }, options: { timeout: { connectTimeout: 'PT5S' }, allowFailed: true } },
    ],
    wrongType: { uri: 'https://x', method: 'FETCH' },
    template: { uri: 'https://x', method: '{{ inputs.method }}', encryptBody: '{{ inputs.secret }}' },
  },
  'io.kestra.plugin.scripts.shell.Commands': {
    valid: [
      { commands: ['echo "The current execution is: {{ execution.id }}"'], taskRunner: { type: 'io.kestra.plugin.core.runner.Process' } },
      { runner: 'PROCESS', commands: ['exit 1'] },
      { outputFiles: ['first.txt'], namespaceFiles: { enabled: true, include: ['test1.txt'] }, commands: ['ls'] },
    ],
    wrongType: { commands: 'echo hi' },
    template: { commands: ['true'], warningOnStdErr: '{{ inputs.strict }}' },
  },
  'io.kestra.plugin.scripts.shell.Script': {
    valid: [{ script: 'echo hi\necho there', env: { DEBUG: 1, NAME: 'x' }, inputFiles: { 'a.txt': 'hello' } }],
    wrongType: { script: ['echo hi'] },
  },
  'io.kestra.plugin.scripts.powershell.Commands': {
    valid: [{ commands: ['Get-ChildItem'], containerImage: 'ghcr.io/kestra-io/powershell:latest' }],
    wrongType: { commands: [{ run: 'x' }] },
  },
  'io.kestra.plugin.scripts.powershell.Script': {
    valid: [{ script: 'Write-Output "hi"', targetOS: 'WINDOWS' }],
    wrongType: { script: 'x', targetOS: 'MACOS' },
    template: { script: 'x', failFast: '{{ inputs.ff }}' },
  },
  'io.kestra.plugin.fs.ssh.Command': {
    valid: [
      { host: 'localhost', port: '22', authMethod: 'PASSWORD', username: 'foo', password: "{{ secret('SSH_PASSWORD') }}", commands: ['ls'] },
      { host: 'localhost', port: 22, authMethod: 'PUBLIC_KEY', username: 'root', privateKey: "{{ secret('SSH_RSA_PRIVATE_KEY') }}", commands: ['touch kestra_was_here'], strictHostKeyChecking: 'no' },
      { ...ssh, strictHostKeyChecking: true, hostKeyFingerprint: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8', env: { LANG: 'C' } },
    ],
    wrongType: { ...ssh, authMethod: 'KERBEROS' },
    template: { ...ssh, port: '{{ inputs.port }}', enableSshRsa1: '{{ inputs.legacy }}' },
    coerce: { props: { ...ssh, port: '2222' }, key: 'port', expected: 2222 },
  },
  'io.kestra.plugin.core.kv.Set': {
    valid: [{ key: 'orders_file', value: '{{ outputs.http_download.uri }}', kvType: 'STRING' }, { key: 'cfg', value: { a: 1 }, kvType: 'JSON', ttl: 'P1D', overwrite: false }],
    wrongType: { key: 'k', value: 'v', kvType: 'TEXT' },
    template: { key: 'k', value: 'v', ttl: '{{ inputs.ttl }}' },
  },
  'io.kestra.plugin.core.kv.Get': {
    valid: [{ key: 'my_variable', namespace: 'company', errorOnMissing: true }],
    wrongType: { key: 'k', errorOnMissing: 'maybe' },
    template: { key: 'k', errorOnMissing: '{{ inputs.strict }}' },
  },
  'io.kestra.plugin.core.kv.Delete': {
    valid: [{ key: 'my_variable', namespace: 'dev' }],
    wrongType: { key: ['a', 'b'] },
    template: { key: 'k', errorOnMissing: '{{ inputs.strict }}' },
  },
  'io.kestra.plugin.kestra.ee.assets.Set': {
    valid: [
      {
        namespace: 'assets.data', assetId: 'customers_by_country', assetType: 'TABLE', displayName: 'Customers by Country',
        assetDescription: 'A table showing the number of customers by country.',
        metadata: { system: '{{ outputs.task.system }}', database: 'my-project', schema: 'analytics', name: 'customers_by_country' },
      },
    ],
    wrongType: { assetId: 'vm-1', assetType: 'VM', metadata: ['not', 'a', 'map'] },
    template: { assetId: 'vm-1', assetType: 'VM', metadata: '{{ outputs.probe.facts }}' },
  },
  'io.kestra.plugin.kestra.ee.assets.List': {
    valid: [
      {
        namespace: 'assets.data', types: ['TABLE'], fetchType: 'FETCH',
        metadataQuery: [
          { field: 'system', type: 'EQUAL_TO', value: '{{ outputs.task.system }}' },
          { field: 'schema', type: 'NOT_EQUAL_TO', value: 'public' },
        ],
      },
    ],
    // Kestra's STORE writes an ION file to internal storage, which Patchbay does not have.
    wrongType: { fetchType: 'STORE' },
    template: { size: '{{ inputs.page_size }}' },
    coerce: { props: { size: '10' }, key: 'size', expected: 10 },
  },
  'io.kestra.plugin.kestra.ee.assets.Delete': {
    valid: [{ assetId: 'customers_by_country' }],
    wrongType: { assetId: ['a', 'b'] },
  },
  'io.kestra.plugin.slack.notifications.SlackIncomingWebhook': {
    valid: [
      { url: "{{ secret('SLACK_WEBHOOK') }}", payload: '{\n  "text": "Failure alert for flow {{ flow.namespace }}.{{ flow.id }}"\n}\n' },
      { url: "{{ secret('SLACK_WEBHOOK') }}", messageText: 'Hello from behind a proxy!', options: { proxy: { address: '10.10.10.254', port: 3128, type: 'HTTP' } } },
    ],
    wrongType: { url: 'https://hooks.slack.com/x', payload: { text: 'hi' } },
  },
  'io.kestra.plugin.slack.app.chats.Post': {
    valid: [
      { token: "{{ secret('SLACK_TOKEN') }}", channel: '#general', messageText: 'Hello from Kestra!' },
      { channel: '#general', payload: '{"text": "Workflow completed successfully", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Status:* ok"}}]}' },
    ],
    wrongType: { channel: '#general', payload: { text: 'hi' } },
  },
  ...NUTANIX_CASES,
  ...REPORT_CASES,
};
