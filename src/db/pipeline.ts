import { type SQL, isSQLWrapper } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { PostgresJsDatabase, PostgresJsSession } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import type { Drizzle } from './database.js';

/**
 * A transaction whose statements travel in as few round trips as possible: BEGIN goes out
 * with the first statement, COMMIT with the last ones. On a busy worker each round trip
 * also waits for a turn of the event loop, so a transition's four round trips (BEGIN, read,
 * write, COMMIT) were most of its time; pipelined they are two.
 *
 * `send` puts a statement on the wire now, strictly after everything sent before; its
 * promise may be left pending until `commit`, which sends COMMIT and then waits for every
 * statement, failing (the transaction rolled back) if any of them failed. Statements that
 * need a result before the next can be sent are awaited as usual, or run through `tx`.
 */
export interface PipelinedTransaction {
  tx: Drizzle;
  send<T = Record<string, unknown>>(query: SQL | { toSQL(): { sql: string; params: unknown[] } }): Promise<T[]>;
  commit(): Promise<void>;
}

const dialect = new PgDialect();

function compile(query: SQL | { toSQL(): { sql: string; params: unknown[] } }): { sql: string; params: unknown[] } {
  return isSQLWrapper(query) && !('toSQL' in query) ? dialect.sqlToQuery(query as SQL) : (query as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
}

export async function pipelinedPostgres<T>(client: postgres.Sql, body: (p: PipelinedTransaction) => Promise<T>): Promise<T> {
  const connection = await client.reserve();
  // The pool's client already has drizzle's type parsers; a reserved connection shares them.
  const tx = new PostgresJsDatabase(dialect, new PostgresJsSession(connection, dialect, undefined), undefined) as unknown as Drizzle;
  const outstanding: Promise<unknown>[] = [];
  const sendRaw = (text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    const sent = Promise.resolve(connection.unsafe(text, params as postgres.ParameterOrJSON<never>[]).execute()).then((rows) => [...rows]);
    sent.catch(() => undefined); // surfaced by commit() or by the caller's await, never unhandled
    outstanding.push(sent);
    return sent;
  };
  let state: 'open' | 'committed' | 'failed' = 'open';
  const pipeline: PipelinedTransaction = {
    tx,
    send: <R>(query: Parameters<PipelinedTransaction['send']>[0]) => {
      const { sql, params } = compile(query);
      return sendRaw(sql, params) as Promise<R[]>;
    },
    commit: async () => {
      const pending = [...outstanding, sendRaw('commit')];
      const results = await Promise.allSettled(pending);
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      // COMMIT in a failed transaction is answered with ROLLBACK: nothing was written.
      state = failure ? 'failed' : 'committed';
      if (failure) throw failure.reason;
    },
  };
  try {
    void sendRaw('begin');
    const result = await body(pipeline);
    if (state === 'open') await pipeline.commit();
    return result;
  } catch (error) {
    if (state === 'open') await connection.unsafe('rollback').catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

/** PGlite runs in-process (no round trips to save): a plain transaction, statements chained in call order. */
export async function pipelinedPglite<T>(db: Drizzle, body: (p: PipelinedTransaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    let chain: Promise<unknown> = Promise.resolve();
    const outstanding: Promise<unknown>[] = [];
    const pipeline: PipelinedTransaction = {
      tx,
      send: <R>(query: Parameters<PipelinedTransaction['send']>[0]) => {
        const run = async (): Promise<R[]> => {
          if (isSQLWrapper(query) && !('toSQL' in query)) return rowsOf<R>(await tx.execute(query as SQL));
          return rowsOf<R>(await (query as unknown as PromiseLike<unknown>));
        };
        const sent = chain.then(run);
        chain = sent.catch(() => undefined);
        sent.catch(() => undefined);
        outstanding.push(sent);
        return sent;
      },
      commit: async () => {
        await Promise.all(outstanding);
      },
    };
    const result = await body(pipeline);
    await Promise.all(outstanding);
    return result;
  });
}

function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result)) return result as R[];
  return ((result as { rows?: R[] } | undefined)?.rows ?? []) as R[];
}
