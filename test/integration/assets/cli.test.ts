import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTaskAssets } from '../../../src/assets/record.js';
import { type Database, openDatabase } from '../../../src/db/database.js';
import { type TestDatabase, createTestDatabase, onPostgres } from '../../support/database.js';
import { cli } from '../../unit/cli/run-cli.js';
import { Runs } from './support.js';

/** `patchbay assets show|list|impact|graph`: output, --json shapes, files and exit codes. */
describe('patchbay assets', () => {
  let dir: string;
  let test: TestDatabase | undefined;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(['assets', ...args], { cwd: dir, env });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-assets-cli-'));
    let database: Database;
    if (onPostgres()) {
      test = await createTestDatabase();
      database = test.database;
    } else {
      database = await openDatabase({ dataDir: path.join(dir, 'data') });
    }
    env = { PATCHBAY_DATA_DIR: path.join(dir, 'data'), ...(test?.url ? { DATABASE_URL: test.url } : {}) };
    const runs = new Runs(database);
    const record = (flowId: string, inputs: string[], outputs: { id: string; type: string; metadata?: Record<string, unknown> }[]) =>
      database.db.transaction((tx) => recordTaskAssets(tx, runs.origin(flowId, 'U_ALICE'), { inputs: inputs.map((id) => ({ id })), outputs }));
    await record('create-vm', [], [{ id: 'web-01', type: 'VM', metadata: { env: 'prod', cpu: 4 } }, { id: 'web-02', type: 'VM', metadata: { env: 'test' } }]);
    await record('reserve-ip', ['web-01'], [{ id: 'ip-web-01', type: 'IP', metadata: { address: '10.0.0.1' } }]);
    await record('issue-cert', ['web-01', 'ip-web-01'], [{ id: 'cert-web-01', type: 'Certificate' }]);
    // The CLI opens the database itself: the embedded one allows a single process at a time.
    await database.close();
  });
  afterAll(async () => {
    await test?.drop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('show --json prints {asset, upstream, downstream, events} with id, type, metadata and depth', async () => {
    const result = await run('show', 'ip-web-01', '--json');
    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout);
    expect(view.asset).toMatchObject({ id: 'ip-web-01', type: 'IP', metadata: { address: '10.0.0.1' } });
    expect(view.upstream).toEqual([expect.objectContaining({ id: 'web-01', type: 'VM', metadata: { env: 'prod', cpu: 4 }, depth: 1 })]);
    expect(view.downstream).toEqual([expect.objectContaining({ id: 'cert-web-01', type: 'Certificate', metadata: {}, depth: 1 })]);
    expect(view.events).toEqual([expect.objectContaining({ kind: 'CREATED', actor: 'U_ALICE', flowId: 'reserve-ip' }), expect.objectContaining({ kind: 'USED', flowId: 'issue-cert' })]);
  });

  it('show prints the asset, its lineage and its history as text', async () => {
    const result = await run('show', 'web-01');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^web-01 {2}VM {2}namespace company\.infra\n {2}metadata: cpu=4, env=prod\n/);
    expect(result.stdout).toMatch(/downstream — what depends on it \(2, up to 3 hops\):\n {2}1 {2}cert-web-01 {2}Certificate\n {2}1 {2}ip-web-01 {4}IP {11}address=10\.0\.0\.1/);
    expect(result.stdout).toContain('CREATED  by U_ALICE  company.infra.create-vm · execution exec001 · task main');
  });

  it('exits 2 on an unknown asset, a bad depth or a malformed command', async () => {
    const missing = await run('show', 'web-1');
    expect([missing.code, missing.stderr]).toEqual([2, 'patchbay assets: no asset `web-1`\n']);
    const depth = await run('impact', 'web-01', '--depth', '0');
    expect([depth.code, depth.stderr]).toEqual([2, 'patchbay assets: depth must be an integer from 1 to 50, got "0"\n']);
    expect((await run('frob')).code).toBe(2);
    expect((await run('show')).stderr).toContain('assets show: give exactly one asset id');
    expect((await run('list', '--limit', 'ten')).stderr).toContain('--limit must be an integer from 1 to 1000, got `ten`');
    expect((await run('graph', 'web-01', '-o', 'g.txt')).stderr).toContain('-o must name a .png or .dot file');
  });

  it('lists by type and metadata, by text, and page by page', async () => {
    const vms = JSON.parse((await run('list', 'type=VM', 'env=prod', '--json')).stdout);
    expect(vms.assets.map((asset: { id: string }) => asset.id)).toEqual(['web-01']);
    expect(JSON.parse((await run('list', 'cpu=4', '--json')).stdout).assets).toHaveLength(1);
    const first = await run('list', 'web', '--limit', '2');
    expect(first.stdout).toBe(['  cert-web-01  Certificate  company.infra', '  ip-web-01    IP           company.infra  address=10.0.0.1', '  … more: add --after ip-web-01', ''].join('\n'));
    const next = JSON.parse((await run('list', 'web', '--limit', '2', '--after', 'ip-web-01', '--json')).stdout);
    expect([next.assets.map((asset: { id: string }) => asset.id), next.next]).toEqual([['web-01', 'web-02'], null]);
  });

  it('impact --json names what would be orphaned', async () => {
    const result = await run('impact', 'web-01', '--json');
    const view = JSON.parse(result.stdout);
    expect(view.impacted.map((entry: { id: string; orphaned: boolean }) => [entry.id, entry.orphaned])).toEqual([
      ['cert-web-01', true],
      ['ip-web-01', true],
    ]);
    expect((await run('impact', 'web-01')).stdout).toContain('impact of removing web-01 (VM): 2 asset(s) downstream, 2 would be orphaned');
  });

  it('graph writes a PNG (or the DOT source) to the file given with -o', async () => {
    const png = await run('graph', 'cert-web-01', '-o', 'cert.png');
    expect(png.code).toBe(0);
    expect(png.stdout).toBe(`wrote ${path.join(dir, 'cert.png')} (3 assets, 3 edges)\n`);
    expect((await readFile(path.join(dir, 'cert.png'))).subarray(1, 4).toString()).toBe('PNG');
    const dot = await run('graph', 'cert-web-01', '--depth', '1', '-o', 'cert.dot', '--json');
    expect(JSON.parse(dot.stdout)).toEqual({ file: path.join(dir, 'cert.dot'), nodes: 3, edges: 3, truncated: false });
    expect(await readFile(path.join(dir, 'cert.dot'), 'utf8')).toContain('"ip-web-01" -> "cert-web-01";');
  }, 30_000);
});
