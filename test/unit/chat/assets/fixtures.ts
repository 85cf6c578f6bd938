import type { AssetView, ImpactView } from '../../../../src/assets/service.js';
import type { AssetDetail, AssetEvent, AssetOrigin, RelatedAsset } from '../../../../src/assets/types.js';

/** Asset service answers as plain data, for the pure builders' tests. */
export const CERT_TYPE = 'io.kestra.plugin.ee.assets.VM.Certificate';

export const origin = (executionId: string, over: Partial<AssetOrigin> = {}): AssetOrigin => ({
  executionId, namespace: 'company.infra', flowId: 'create-vm', taskId: 'main', taskRunId: `${executionId}-main`, actor: 'U0ALICE', at: '2026-11-21T09:01:00Z', ...over,
});

export const detail = (id: string, over: Partial<AssetDetail> = {}): AssetDetail => ({
  id, namespace: 'company.infra', type: 'VM', displayName: null, description: null, metadata: {},
  created: '2026-11-21T09:01:00Z', updated: '2026-11-21T09:01:00Z', deleted: null,
  createdBy: origin('exec001'), updatedBy: origin('exec001'), ...over,
});

export const related = (id: string, type: string, depth = 1, over: Partial<RelatedAsset> = {}): RelatedAsset => ({
  id, type, namespace: 'company.infra', displayName: null, metadata: {}, depth, deleted: false, ...over,
});

let eventId = 0;
export const event = (kind: AssetEvent['kind'], executionId: string | null, over: Partial<AssetEvent> = {}): AssetEvent => ({
  id: ++eventId, assetId: 'windows-web-01', kind, at: '2026-11-21T09:01:00Z', actor: 'U0ALICE', executionId,
  namespace: 'company.infra', flowId: 'create-vm', taskId: 'main', details: {}, ...over,
});

export const view = (over: Partial<AssetView> = {}): AssetView => ({
  asset: detail('windows-web-01', { metadata: { os: 'Windows Server 2022', cpu: 4 } }),
  upstream: [],
  downstream: [
    related('windows-web-01-ip', 'io.kestra.plugin.ee.assets.VM.IP'),
    related('cert-exec005', CERT_TYPE, 1, { metadata: { issuer: 'LetsEncrypt' } }),
    related('snap-1', 'Snapshot'),
    related('snap-2', 'Snapshot', 2),
  ],
  events: [event('CREATED', 'exec001'), event('USED', 'exec002', { flowId: 'reserve-ip', details: { outputs: ['windows-web-01-ip'] } })],
  depth: 3,
  truncated: { upstream: false, downstream: false },
  ...over,
});

export const impact = (over: Partial<ImpactView> = {}): ImpactView => {
  const impacted = [
    { ...related('windows-web-01-ip', 'IP'), orphaned: true },
    { ...related('cert-1', CERT_TYPE), orphaned: false },
    { ...related('snap-1', 'Snapshot', 2), orphaned: true },
  ];
  return {
    asset: detail('windows-web-01'),
    impacted,
    orphaned: impacted.filter((entry) => entry.orphaned).map(({ orphaned: _o, ...entry }) => entry),
    truncated: false,
    ...over,
  };
};

/** Every mrkdwn text object's text, deep. */
export function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== 'object' || value === null) return [];
  const node = value as Record<string, unknown>;
  if (node.type === 'mrkdwn' && typeof node.text === 'string') return [node.text];
  return Object.values(node).flatMap(mrkdwnTexts);
}
