import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.js';
import { ErrorCode } from '../../../src/errors.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';

describe('database', () => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it('applies the migrations and delivers NOTIFY only on commit', async () => {
    test = await createTestDatabase();
    const { database } = test;
    const tables = await database.rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['executions', 'task_runs', 'timers', 'approvals', 'approval_votes', 'kv', 'logs', 'audit_log', 'flow_revisions']),
    );
    const received: string[] = [];
    const stop = await database.listen('patchbay_test', (payload) => received.push(payload));
    await database.db.transaction(async (tx) => {
      await database.rows(sql`select pg_notify('patchbay_test', 'rolled-back')`, tx as never);
      tx.rollback();
    }).catch(() => undefined);
    await database.rows(sql`select pg_notify('patchbay_test', 'committed')`);
    await expect.poll(() => received, { timeout: 3000 }).toEqual(['committed']);
    await stop();
  });
});

describe('embedded database folder', () => {
  let dir: string;
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('refuses a second opener with the holder named, and reopens after close', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-data-'));
    const first = await openDatabase({ dataDir: dir });
    await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({
      code: ErrorCode.DATABASE_LOCKED,
      message: expect.stringMatching(new RegExp(`in use by process ${process.pid}.*DATABASE_URL`)),
    });
    await first.rows(sql`insert into kv (namespace, key, value) values ('ns', 'k', '"v"'::jsonb)`);
    await first.close();
    const second = await openDatabase({ dataDir: dir });
    expect(await second.rows(sql`select value from kv`)).toEqual([{ value: 'v' }]);
    await second.close();
  });
});
