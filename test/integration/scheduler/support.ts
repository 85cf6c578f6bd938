import { sql } from 'drizzle-orm';
import type { Database } from '../../../src/db/database.js';
import type { PatchbayService } from '../../../src/service/service.js';

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function stateOf(service: PatchbayService, id: string): Promise<string> {
  return (await service.execution(id)).state;
}

export async function waitForState(service: PatchbayService, id: string, state: string): Promise<void> {
  await eventually(async () => (await stateOf(service, id)) === state, 15_000, `${id} to be ${state}`);
}

export interface ScheduledRow {
  id: string;
  state: string;
  createdBy: string;
  inputs: Record<string, unknown>;
  trigger: Record<string, unknown>;
  error: string | null;
}

/** Executions of a flow, oldest first. */
export async function executionsOf(database: Database, flowId: string): Promise<ScheduledRow[]> {
  return database.rows<ScheduledRow>(
    sql`select id, state, created_by as "createdBy", inputs, trigger, error from executions where flow_id = ${flowId} order by created_at, id`,
  );
}

/** A settable clock for the scheduler. */
export function fakeClock(start: string): { now: () => Date; set(iso: string): void } {
  let current = new Date(start);
  return { now: () => new Date(current), set: (iso) => (current = new Date(iso)) };
}
