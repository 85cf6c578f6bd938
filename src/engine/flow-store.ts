import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, Drizzle } from '../db/database.js';
import { flowRevisions } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { type LoadedFlow, formatDiagnostic, parseFlowSource } from '../flow/loader.js';
import type { Flow } from '../flow/model.js';

/**
 * Flow revisions in the database. Loading a folder records a new revision only when a flow's
 * text changed; an execution pins the revision it started with, so editing a flow never
 * breaks a running one. Every replica reads revisions from here, not from its own disk.
 */
export interface StoredFlow {
  flow: Flow;
  revision: number;
  source: string;
}

const checksum = (source: string): string => createHash('sha256').update(source).digest('hex');

export class FlowStore {
  /** Revisions never change once written, so parsed flows are cached forever. */
  private readonly parsed = new Map<string, StoredFlow>();

  constructor(private readonly database: Database) {}

  /** Records the given flows; returns each one's current revision. */
  async sync(loaded: readonly LoadedFlow[]): Promise<StoredFlow[]> {
    const stored: StoredFlow[] = [];
    for (const { flow, source } of loaded) stored.push(await this.save(flow, source));
    return stored;
  }

  private async save(flow: Flow, source: string): Promise<StoredFlow> {
    const sum = checksum(source);
    return this.database.db.transaction(async (tx) => {
      // Serialise concurrent savers of one flow (two replicas starting with the same folder).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`flow:${flow.namespace}.${flow.id}`}))`);
      const [latest] = await tx
        .select()
        .from(flowRevisions)
        .where(and(eq(flowRevisions.namespace, flow.namespace), eq(flowRevisions.flowId, flow.id)))
        .orderBy(desc(flowRevisions.revision))
        .limit(1);
      if (latest && latest.checksum === sum) return { flow, revision: latest.revision, source };
      const revision = (latest?.revision ?? 0) + 1;
      await tx.insert(flowRevisions).values({ namespace: flow.namespace, flowId: flow.id, revision, source, checksum: sum });
      return { flow, revision, source };
    });
  }

  /**
   * A revision (the latest when omitted); throws NOT_FOUND naming the flow. Inside a
   * transaction pass it as `tx`: PGlite has one connection, so a read outside the open
   * transaction would wait for it forever.
   */
  async get(namespace: string, flowId: string, revision?: number, tx?: Drizzle): Promise<StoredFlow> {
    if (revision !== undefined) {
      const cached = this.parsed.get(`${namespace}.${flowId}@${revision}`);
      if (cached) return cached;
    }
    const conditions = [eq(flowRevisions.namespace, namespace), eq(flowRevisions.flowId, flowId)];
    if (revision !== undefined) conditions.push(eq(flowRevisions.revision, revision));
    const [row] = await (tx ?? this.database.db)
      .select()
      .from(flowRevisions)
      .where(and(...conditions))
      .orderBy(desc(flowRevisions.revision))
      .limit(1);
    if (!row) {
      const which = revision === undefined ? '' : ` revision ${revision}`;
      throw new PatchbayError(ErrorCode.FLOW_NOT_FOUND, `flow ${namespace}.${flowId}${which} is not known; load it with \`patchbay validate\` / from PATCHBAY_FLOWS_DIR first`);
    }
    const key = `${namespace}.${flowId}@${row.revision}`;
    const cached = this.parsed.get(key);
    if (cached) return cached;
    const { flows, diagnostics } = parseFlowSource(row.source, `${namespace}.${flowId}@${row.revision}`);
    if (!flows[0]) {
      throw new PatchbayError(ErrorCode.FLOW_INVALID, `stored flow ${key} no longer validates:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
    }
    const stored = { flow: flows[0].flow, revision: row.revision, source: row.source };
    this.parsed.set(key, stored);
    return stored;
  }

  /** `namespace.flowId`, or a flowId that is unique across namespaces. */
  async resolve(reference: string): Promise<StoredFlow> {
    const rows = await this.database.db
      .selectDistinct({ namespace: flowRevisions.namespace, flowId: flowRevisions.flowId })
      .from(flowRevisions);
    const exact = rows.filter((row) => `${row.namespace}.${row.flowId}` === reference);
    const byId = rows.filter((row) => row.flowId === reference);
    const matches = exact.length > 0 ? exact : byId;
    if (matches.length === 1) return this.get(matches[0]!.namespace, matches[0]!.flowId);
    if (matches.length > 1) {
      throw new PatchbayError(
        ErrorCode.USAGE,
        `flow id \`${reference}\` exists in several namespaces (${matches.map((m) => m.namespace).join(', ')}); write namespace.flowId`,
      );
    }
    const known = rows.map((row) => `${row.namespace}.${row.flowId}`).sort();
    throw new PatchbayError(ErrorCode.FLOW_NOT_FOUND, `no flow \`${reference}\`; known flows: ${known.join(', ') || 'none'}`);
  }
}
