/**
 * `approve ID [reason]`, `reject ID reason…`, `resume ID key=value…` at the shell prompt: the
 * same service.decide the Slack buttons call, as the acting user. The engine authorises
 * assignees and the requester; the policy decides who may resume an unassigned Pause (anyone
 * allowed to run the flow), and its refusals are audited like /flow's.
 */
import type { ChatActor } from '../chat/types.js';
import { parseCommandLine, restAfter, tokenize } from '../chat/command-line.js';
import { isPatchbayError } from '../errors.js';
import type { Membership } from '../groups.js';
import { auditRefusal } from '../policy/audit.js';
import type { Policy } from '../policy/policy.js';
import { pendingApprovals } from '../service/chat-queries.js';
import type { PatchbayService } from '../service/service.js';
import { inputErrorsOf } from '../slack/blocks/run-modal.js';

export type DecisionVerb = 'approve' | 'reject' | 'resume';

export interface ShellDecision {
  /** What to print. */
  text: string;
  /** Set when the waiting step was released: the shell follows the execution again. */
  follow?: string;
}

const USAGE: Record<DecisionVerb, string> = {
  approve: 'approve ID [reason]',
  reject: 'reject ID <reason>',
  resume: 'resume ID key=value …',
};

interface Parsed { id: string; reason?: string; inputs: Record<string, string> }

/** `line` is what follows the verb. */
function parse(verb: DecisionVerb, line: string): Parsed | string {
  const [idToken] = tokenize(line);
  if (!idToken) return `usage: ${USAGE[verb]}`;
  const rest = restAfter(line, idToken);
  if (verb === 'resume') {
    const { positionals, pairs } = parseCommandLine(rest);
    if (positionals.length) return `resume takes key=value pairs only, not \`${positionals.join(' ')}\` (usage: ${USAGE.resume})`;
    return { id: idToken.text, inputs: pairs };
  }
  if (verb === 'reject' && !rest) return `say why: ${USAGE.reject}`;
  return { id: idToken.text, inputs: {}, ...(rest ? { reason: rest } : {}) };
}

export async function shellDecide(
  service: PatchbayService,
  options: { verb: DecisionVerb; line: string; actor: ChatActor; membership: Membership; policy: Policy | undefined },
): Promise<ShellDecision> {
  const { verb, actor } = options;
  let parsed: Parsed | string;
  try {
    parsed = parse(verb, options.line);
  } catch (error) {
    return { text: (error as Error).message };
  }
  if (typeof parsed === 'string') return { text: parsed };
  const { id } = parsed;
  const [open] = (await pendingApprovals(service.database, { executionIds: [id] })).filter((a) => !a.users.length && !a.groups.length);
  if (open && options.policy && !(await options.policy.mayRun(actor, { namespace: open.namespace, id: open.flowId }, 'shell'))) {
    await auditRefusal(service.database, { actor: actor.id, action: verb, subjectType: 'execution', subjectId: id, channel: 'shell', surface: 'shell' });
    return { text: `refused: ${actor.id} may not run ${open.namespace}.${open.flowId}, so may not decide its pause (policy)` };
  }
  try {
    const outcome = await service.decide({
      executionId: id,
      actor: actor.id,
      approve: verb !== 'reject',
      ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
      inputs: parsed.inputs,
      isMember: options.membership,
    });
    return { text: `${outcome.message}${outcome.decided ? '' : ` (${outcome.approvals} of ${outcome.needed})`}`, ...(outcome.decided ? { follow: id } : {}) };
  } catch (error) {
    const errors = inputErrorsOf(error);
    if (errors) return { text: ['not resumed:', ...errors.map((e) => `  ${e.inputId} (${e.rule}): ${e.message}`)].join('\n') };
    if (isPatchbayError(error)) return { text: `refused: ${error.message}` };
    throw error;
  }
}
