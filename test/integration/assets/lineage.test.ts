import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineageStatement } from '../../../src/assets/lineage.js';
import { recordTaskAssets } from '../../../src/assets/record.js';
import { AssetService } from '../../../src/assets/service.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { Runs } from './support.js';

/** Lineage walks: one statement each, depth limit, cycle guard, diamonds counted once. */
describe('asset lineage', () => {
  let test: TestDatabase;
  let service: AssetService;
  beforeAll(async () => {
    test = await createTestDatabase();
    service = new AssetService(test.database);
    const runs = new Runs(test.database);
    const link = (up: string, down: string) =>
      test.database.db.transaction((tx) => recordTaskAssets(tx, runs.origin('link', 'alice'), { inputs: [{ id: up }], outputs: [{ id: down, type: 'Node' }] }));
    // A chain that closes on itself: c1 → c2 → c3 → c4 → c5 → c1.
    for (const [up, down] of [['c1', 'c2'], ['c2', 'c3'], ['c3', 'c4'], ['c4', 'c5'], ['c5', 'c1']] as const) await link(up, down);
    // A diamond: top → left, right → bottom, and bottom feeds top again.
    for (const [up, down] of [['top', 'left'], ['top', 'right'], ['left', 'bottom'], ['right', 'bottom'], ['bottom', 'top']] as const) await link(up, down);
  });
  afterAll(() => test.drop());

  const ids = (entries: { id: string; depth: number }[]) => entries.map((entry) => `${entry.id}@${entry.depth}`);

  it('stops at the depth limit and says there is more', async () => {
    const view = await service.show('c1', { depth: 2 });
    expect(ids(view.downstream)).toEqual(['c2@1', 'c3@2']);
    expect(ids(view.upstream)).toEqual(['c5@1', 'c4@2']);
    expect(view.truncated).toEqual({ upstream: true, downstream: true });
  });

  it('walks a cycle once: every asset at its nearest depth, the start never listed', async () => {
    const view = await service.show('c1', { depth: 10 });
    expect(ids(view.downstream)).toEqual(['c2@1', 'c3@2', 'c4@3', 'c5@4']);
    expect(ids(view.upstream)).toEqual(['c5@1', 'c4@2', 'c3@3', 'c2@4']);
    expect(view.truncated).toEqual({ upstream: false, downstream: false });
  });

  it('counts the bottom of a diamond once, at its shortest distance', async () => {
    const view = await service.show('top', { depth: 5 });
    expect(ids(view.downstream)).toEqual(['left@1', 'right@1', 'bottom@2']);
    expect(ids(view.upstream)).toEqual(['bottom@1', 'left@2', 'right@2']);
  });

  it('answers both directions in a single statement', async () => {
    const rows = await test.database.rows<{ direction: string; id: string }>(lineageStatement('c3', { maxDepth: 1, limit: 100 }));
    expect(rows.map((row) => `${row.direction}:${row.id}`)).toEqual(['down:c4', 'up:c2']);
  });

  it('caps the number of assets a walk returns', async () => {
    const rows = await test.database.rows<{ id: string; truncated: boolean }>(lineageStatement('c1', { maxDepth: 10, limit: 2 }));
    expect(rows.filter((row) => (row as { direction?: string }).direction === 'down').map((row) => row.id)).toEqual(['c2', 'c3']);
    expect(rows.every((row) => row.truncated)).toBe(true);
  });

  it('reports a cycle back to the removed asset as orphaned, not as still fed', async () => {
    const impact = await service.impact('c1');
    expect(impact.impacted.map((entry) => `${entry.id}:${entry.orphaned}`)).toEqual(['c2:true', 'c3:true', 'c4:true', 'c5:true']);
  });

  it('refuses a bad depth and names a missing asset, with a suggestion', async () => {
    await expect(service.show('c1', { depth: 0 })).rejects.toThrow('depth must be an integer from 1 to 10, got 0');
    await expect(service.show('c1', { depth: 'deep' })).rejects.toThrow('depth must be an integer from 1 to 10, got "deep"');
    await expect(service.impact('c1', { depth: 51 })).rejects.toThrow('depth must be an integer from 1 to 50, got 51');
    await expect(service.show('bottm')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no asset `bottm`' });
    await expect(service.show('botto')).rejects.toThrow('no asset `botto`; did you mean `bottom`?');
  });

  it('uses the indexes it was built for', async () => {
    // On a dozen rows the planner rightly prefers sequential scans: forbid them to see the paths.
    const text = await test.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const plan = await test.database.rows<Record<string, string>>(sql`explain ${lineageStatement('c1', { maxDepth: 3, limit: 100 })}`, tx);
      return plan.map((row) => Object.values(row)[0]).join('\n');
    });
    expect(text).toMatch(/asset_edges_pkey|asset_edges_upstream_id_downstream_id_pk/);
    expect(text).toContain('asset_edges_downstream_idx');
  });
});
