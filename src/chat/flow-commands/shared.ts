/**
 * What the /flow sub-commands share: finding a flow from what a person typed (with "did you
 * mean"), reading an execution with its flow, and the policy checks, whose refusals are
 * audited before the person is told.
 */
import { ErrorCode, PatchbayError, isPatchbayError } from '../../errors.js';
import type { StoredFlow } from '../../engine/flow-store.js';
import type { Flow } from '../../flow/model.js';
import { auditRefusal } from '../../policy/audit.js';
import type { ExecutionView } from '../../service/executions.js';
import type { PatchbayService } from '../../service/service.js';
import { code } from '../../slack/blocks/text.js';
import { didYouMean } from '../family.js';
import { privateReply } from '../replies.js';
import type { ChatContext, ChatOrigin, ChatReply, ChatRequest } from '../types.js';

/** `namespace.flowId` or a unique flowId; an unknown name gets the closest known one. */
export async function findFlow(service: PatchbayService, reference: string): Promise<StoredFlow> {
  try {
    return await service.flows.resolve(reference);
  } catch (error) {
    if (!isPatchbayError(error) || error.code !== ErrorCode.FLOW_NOT_FOUND) throw error;
    const known = (await service.flowList()).map((f) => `${f.namespace}.${f.id}`);
    const near = didYouMean(reference, known) ?? didYouMean(reference, known.map((name) => name.slice(name.lastIndexOf('.') + 1)));
    const hint = near ? ` Did you mean ${code(known.find((name) => name === near || name.endsWith(`.${near}`)) ?? near)}?` : '';
    throw new PatchbayError(ErrorCode.FLOW_NOT_FOUND, `No flow \`${reference}\`.${hint} \`/flow list\` shows them all.`);
  }
}

/** The execution and the flow revision it runs (undefined when that revision cannot be read). */
export async function executionWithFlow(service: PatchbayService, id: string): Promise<{ view: ExecutionView; flow: Flow | undefined }> {
  const view = await service.execution(id);
  const stored = await service.flows.get(view.namespace, view.flowId, view.revision > 0 ? view.revision : undefined).catch(() => undefined);
  return { view, flow: stored?.flow };
}

/** One id argument, or a usage error naming the command. */
export function requireId(positionals: readonly string[], usage: string): string {
  const [id, ...extra] = positionals;
  if (!id || extra.length) throw new PatchbayError(ErrorCode.USAGE, `usage: ${usage}`);
  return id;
}

export function chatOrigin(request: ChatRequest): ChatOrigin {
  return { type: 'chat', surface: request.surface, channel: request.channel, user: request.actor.id };
}

/** A private refusal after the audit row is written; undefined when the policy allows the run. */
export async function refuseRun(request: ChatRequest, context: ChatContext, flow: Flow): Promise<ChatReply | undefined> {
  if (!context.policy || (await context.policy.mayRun(request.actor, flow, request.channel))) return undefined;
  const name = `${flow.namespace}.${flow.id}`;
  await auditRefusal(context.service.database, {
    actor: request.actor.id,
    action: 'run',
    subjectType: 'flow',
    subjectId: name,
    channel: request.channel,
    surface: request.surface,
  });
  return privateReply(`:no_entry_sign: You may not run ${code(name)}${request.surface === 'slack' ? ' from this channel' : ''}: the Patchbay policy does not allow it. Ask an admin if you need to.`);
}

export async function refuseKill(request: ChatRequest, context: ChatContext, view: ExecutionView): Promise<ChatReply | undefined> {
  if (!context.policy || (await context.policy.mayKill(request.actor, view, request.channel))) return undefined;
  await auditRefusal(context.service.database, {
    actor: request.actor.id,
    action: 'kill',
    subjectType: 'execution',
    subjectId: view.id,
    channel: request.channel,
    surface: request.surface,
    details: { flow: `${view.namespace}.${view.flowId}` },
  });
  return privateReply(`:no_entry_sign: You may not kill executions of ${code(`${view.namespace}.${view.flowId}`)}: the Patchbay policy does not allow it.`);
}
