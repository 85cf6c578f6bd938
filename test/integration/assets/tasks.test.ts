import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AssetService } from '../../../src/assets/service.js';
import { DatabaseAssetStore } from '../../../src/assets/store.js';
import { AssetDelete } from '../../../src/tasks/assets/Delete.js';
import { AssetList } from '../../../src/tasks/assets/List.js';
import { AssetSet } from '../../../src/tasks/assets/Set.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { type TestRun, createTestRun, rejection } from '../../support/task-context.js';

/** Kestra's asset Set / List / Delete tasks, run as a worker runs them, against a real database. */
describe('asset tasks', () => {
  let test: TestDatabase;
  let run: TestRun;
  let service: AssetService;
  beforeAll(async () => {
    test = await createTestDatabase();
    service = new AssetService(test.database);
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    run = await createTestRun({ namespace: 'company.infra' });
    run.context.assets = new DatabaseAssetStore(test.database);
  });
  afterEach(() => run.cleanup());

  const set = (props: Record<string, unknown>) => run.run(AssetSet, props);

  it('Set creates an asset in the flow namespace, then merges metadata into it', async () => {
    const created = await set({ assetId: 'db-orders', assetType: 'TABLE', displayName: 'Orders', metadata: { database: 'shop', rows: 10 } });
    expect(created.outputs?.asset).toMatchObject({ id: 'db-orders', type: 'TABLE', namespace: 'company.infra', displayName: 'Orders', metadata: { database: 'shop', rows: 10 } });
    run.context.taskRun = { ...run.context.taskRun, id: 'tr-2' };
    const updated = await set({ assetId: 'db-orders', assetType: 'TABLE', metadata: { rows: 12 }, kestraUrl: 'http://kestra:8080' });
    expect(updated.outputs?.asset).toMatchObject({ displayName: 'Orders', metadata: { database: 'shop', rows: 12 } });
    expect(run.messages('debug')).toContain('Patchbay keeps its own asset inventory: kestraUrl ignored');
    const view = await service.show('db-orders');
    expect(view.events.map((event) => [event.kind, event.actor, event.executionId, event.taskId])).toEqual([
      ['CREATED', 'U123', 'exec-1', 'task'],
      ['UPDATED', 'U123', 'exec-1', 'task'],
    ]);
    expect(view.events[1]?.details).toEqual({ metadata: { rows: { from: 10, to: 12 } }, fields: {} });
  });

  it('Set refuses an empty id or type, naming the property', async () => {
    expect((await rejection(set({ assetId: '  ', assetType: 'VM' }))).message).toBe('`assetId`: the asset id rendered to an empty value');
    expect((await rejection(set({ assetId: 'x', assetType: '' }))).message).toBe('`assetType`: the asset type rendered to an empty value');
  });

  it('List filters by type, namespace and metadata conditions, with FETCH, FETCH_ONE and NONE', async () => {
    for (const [assetId, assetType, metadata] of [
      ['vm-a', 'VM', { env: 'prod', cpu: 4 }],
      ['vm-b', 'VM', { env: 'test', cpu: 2 }],
      ['vm-c', 'VM', { env: 'prod', cpu: 8 }],
      ['ip-a', 'IP', { env: 'prod' }],
    ] as const) await set({ assetId, assetType, metadata, namespace: 'lab' });
    const list = (props: Record<string, unknown>) => run.run(AssetList, { namespace: 'lab', ...props }).then((result) => result.outputs);
    expect(((await list({ types: ['VM'] }))?.assets as { id: string }[]).map((asset) => asset.id)).toEqual(['vm-a', 'vm-b', 'vm-c']);
    const prod = await list({ types: ['VM', 'IP'], metadataQuery: [{ field: 'env', type: 'EQUAL_TO', value: 'prod' }, { field: 'cpu', type: 'NOT_EQUAL_TO', value: '8' }] });
    expect((prod?.assets as { id: string }[]).map((asset) => asset.id)).toEqual(['ip-a', 'vm-a']);
    expect(await list({ types: ['VM'], fetchType: 'FETCH_ONE', page: 2, size: 1 })).toMatchObject({ asset: { id: 'vm-b', metadata: { env: 'test', cpu: 2 } }, size: 1 });
    expect(await list({ types: ['VM'], fetchType: 'NONE' })).toEqual({ size: 3 });
    expect(await list({ types: ['Nothing'], fetchType: 'FETCH_ONE' })).toEqual({ size: 0 });
  });

  it('List refuses two conditions on one key', async () => {
    const error = await rejection(
      run.run(AssetList, { metadataQuery: [{ field: 'env', value: 'a' }, { field: 'env', type: 'EQUAL_TO', value: 'b' }] }),
    );
    expect(error.message).toBe('`metadataQuery[1]`: `env` already has a EQUAL_TO condition');
  });

  it('Delete marks the asset deleted, is harmless when repeated, and fails on an unknown id', async () => {
    await set({ assetId: 'snap-1', assetType: 'Snapshot' });
    expect((await run.run(AssetDelete, { assetId: 'snap-1' })).outputs).toEqual({ deleted: true });
    run.context.taskRun = { ...run.context.taskRun, id: 'tr-again' };
    expect((await run.run(AssetDelete, { assetId: 'snap-1' })).outputs).toEqual({ deleted: false });
    expect(run.messages('info')).toContain('asset snap-1 was already deleted');
    const error = await rejection(run.run(AssetDelete, { assetId: 'snap-404' }));
    expect([error.message, error.retryable]).toEqual(['`assetId`: no asset `snap-404` in the inventory', false]);
    const view = await service.show('snap-1');
    expect(view.asset.deleted).not.toBeNull();
    expect(view.events.map((event) => event.kind)).toEqual(['CREATED', 'DELETED']);
    expect((await run.run(AssetList, { types: ['Snapshot'] })).outputs).toEqual({ assets: [], size: 0 });
  });

  it('fail clearly on a worker without an inventory', async () => {
    delete run.context.assets;
    const error = await rejection(run.run(AssetList, {}));
    expect(error.message).toBe('this worker has no asset inventory at hand (TaskRunContext.assets is missing)');
  });
});
