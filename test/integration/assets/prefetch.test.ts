import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTaskAssets } from '../../../src/assets/record.js';
import type { Drizzle } from '../../../src/db/database.js';
import { buildRenderScope, renderWithAssets } from '../../../src/engine/render-scope.js';
import { renderTyped } from '../../../src/expr/render.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { Runs, counting } from './support.js';

/**
 * `assets()` in expressions: constant lookups fetched from the flow's templates before the
 * render, context-dependent ones through the recording pass, each round in one statement.
 */
const IP = 'io.kestra.plugin.ee.assets.VM.IP';

describe('assets() in expressions', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    const runs = new Runs(test.database);
    const outputs = [
      { id: 'web-01', type: 'VM', metadata: { env: 'prod', cpu: 4 } },
      { id: 'web-02', type: 'VM', metadata: { env: 'test', cpu: 2 } },
      { id: 'ip-web-01', type: IP, namespace: 'net', metadata: { vm: 'web-01', address: '10.0.0.1' } },
      { id: 'ip-web-02', type: IP, namespace: 'net', metadata: { vm: 'web-02', address: '10.0.0.2' } },
      { id: 'gone', type: 'VM', metadata: { env: 'prod' } },
    ];
    await test.database.db.transaction((tx) => recordTaskAssets(tx, runs.origin('seed', 'alice'), { inputs: [], outputs }));
    await test.database.db.transaction((tx) => recordTaskAssets(tx, runs.origin('seed', 'alice'), { inputs: [], outputs: [{ id: 'many-0', type: 'Bulk' }] }));
    await test.database.rows(sql`update assets set deleted_at = now() where id = 'gone'`);
  });
  afterAll(() => test.drop());

  /** A scope for a flow whose source holds `templates`, counting the statements it issues. */
  async function scopeFor(templates: string[], tx: Drizzle) {
    const counted = counting(tx);
    const flowSource = `id: f\nnamespace: company.ops\ntasks:\n${templates.map((t, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.log.Log\n    message: ${JSON.stringify(t)}\n`).join('')}`;
    const scope = await buildRenderScope({ database: test.database, tx: counted.tx, namespace: 'company.ops', flowSource, secrets: () => undefined, now: new Date() });
    return { scope, statements: counted.statements };
  }
  const inTx = <T>(body: (tx: Drizzle) => Promise<T>) => test.database.db.transaction(body);

  it('fetches constant lookups before rendering, in one statement, and renders them without a second pass', async () => {
    const templates = ["{{ assets(type='VM') | jq('[.[].id]') | first }}", `{{ assets(type='${IP}', metadata={'vm': 'web-01'}) | jq('.[0].metadata.address') | first }}`];
    await inTx(async (tx) => {
      const { scope, statements } = await scopeFor(templates, tx);
      expect(statements()).toBe(1);
      expect(renderTyped(templates[0]!, {}, scope)).toEqual(['web-01', 'web-02']);
      expect(renderTyped(templates[1]!, {}, scope)).toBe('10.0.0.1');
      expect(statements()).toBe(1);
    });
  });

  it('returns each match as {id, namespace, type, displayName, metadata, created, updated}', async () => {
    const template = "{{ assets(id='ip-web-02') }}";
    await inTx(async (tx) => {
      const { scope } = await scopeFor([template], tx);
      const [found] = renderTyped(template, {}, scope) as Record<string, unknown>[];
      expect(found).toMatchObject({ id: 'ip-web-02', namespace: 'net', type: IP, displayName: null, metadata: { vm: 'web-02', address: '10.0.0.2' } });
      expect(found?.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });
  });

  it('discovers context-dependent lookups with a recording pass, even one that depends on another', async () => {
    const template = `{{ assets(type='${IP}', metadata={'vm': (assets(type='VM', metadata={'env': inputs.env}) | jq('.[0].id') | first)}) | jq('.[0].id') | first }}`;
    await inTx(async (tx) => {
      const { scope, statements } = await scopeFor([template], tx);
      expect(statements()).toBe(0);
      expect(() => renderTyped(template, { inputs: { env: 'test' } }, scope)).toThrow(/was not fetched before rendering/);
      expect(await renderWithAssets(scope, () => renderTyped(template, { inputs: { env: 'test' } }, scope))).toBe('ip-web-02');
      expect(statements()).toBe(2);
    });
  });

  it('leaves deleted assets out and matches metadata typed either way', async () => {
    const templates = ["{{ assets(type='VM', metadata={'env': 'prod'}) | length }}", "{{ assets(metadata={'cpu': '4'}) | jq('.[].id') }}", "{{ assets(namespace='net') | length }}"];
    await inTx(async (tx) => {
      const { scope } = await scopeFor(templates, tx);
      expect(templates.map((template) => renderTyped(template, {}, scope))).toEqual([1, ['web-01'], 2]);
    });
  });

  it('refuses bad arguments by name, and a lookup that matches too much', async () => {
    await inTx(async (tx) => {
      const { scope } = await scopeFor([], tx);
      expect(() => renderTyped("{{ assets(metadata='env') }}", {}, scope)).toThrow("`assets`: `metadata` must be a map such as {'vm': 'web-01'}, got string \"env\"");
      expect(() => renderTyped('{{ assets(type=[1]) }}', {}, scope)).toThrow('`assets`: `type` must be text, got a list');
      expect(() => renderTyped("{{ assets(kind='VM') }}", {}, scope)).toThrow('function `assets` has no argument `kind`; it takes: id, type, namespace, metadata');
    });
    await test.database.rows(
      sql`insert into assets (id, type) select 'many-' || g, 'Bulk' from generate_series(1, 1000) g on conflict do nothing`,
    );
    const template = "{{ assets(type='Bulk') | length }}";
    await inTx(async (tx) => {
      const { scope } = await scopeFor([template], tx);
      expect(() => renderTyped(template, {}, scope)).toThrow("`assets`: assets(type='Bulk') matches more than 1000 assets; narrow it with id, type, namespace or metadata");
    });
  });
});
