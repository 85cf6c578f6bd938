import { type SQL, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';

/**
 * Small SQL helpers shared by the asset modules. Lists travel as one jsonb parameter
 * (`jsonb_array_elements_text`, `jsonb_to_recordset`): drizzle would otherwise expand an array
 * into one parameter per element, and a statement's text would change with the list's length.
 */

/** Runs a statement inside `tx` (or the database) and returns its rows, whatever the driver. */
export async function rowsOf<T>(tx: Drizzle, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export const jsonb = (value: unknown): SQL => sql`${JSON.stringify(value)}::jsonb`;

/** `column in (…ids)` with the ids as one jsonb parameter. */
export const inIds = (column: SQL, ids: readonly string[]): SQL => sql`${column} in (select jsonb_array_elements_text(${jsonb(ids)}))`;

/** Timestamps as ISO-8601 UTC text, identical on PGlite and postgres.js (which differ on Date parsing). */
export const isoText = (column: SQL): SQL => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of an AssetSummary from `assets` aliased as `a`. */
export const SUMMARY_COLUMNS = sql.raw(`a.id, a.namespace, a.type, a.display_name as "displayName", a.description, a.metadata`);
export const summaryTimes = (): SQL =>
  sql`${isoText(sql`a.created_at`)} as created, ${isoText(sql`a.updated_at`)} as updated`;

/** Postgres LIKE pattern matching `text` literally anywhere. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
