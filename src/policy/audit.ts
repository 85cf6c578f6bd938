import type { Database } from '../db/database.js';
import { auditLog } from '../db/schema.js';

/**
 * Every refusal by the policy is written to the audit log, as decisions and kills are (see
 * engine/decisions.ts): who tried what, on which flow or execution, from where.
 */
export interface PolicyRefusal {
  actor: string;
  /** What was refused: `run`, `kill`, `resume`… */
  action: string;
  subjectType: 'flow' | 'execution';
  /** `namespace.flowId` for a flow, the execution id for an execution. */
  subjectId: string;
  channel: string;
  surface?: string;
  details?: Record<string, unknown>;
}

export const POLICY_REFUSED_ACTION = 'policy.refused';

export async function auditRefusal(database: Database, refusal: PolicyRefusal): Promise<void> {
  await database.db.insert(auditLog).values({
    actor: refusal.actor,
    action: POLICY_REFUSED_ACTION,
    subjectType: refusal.subjectType,
    subjectId: refusal.subjectId,
    details: { attempted: refusal.action, channel: refusal.channel, ...(refusal.surface ? { surface: refusal.surface } : {}), ...refusal.details },
  });
}
