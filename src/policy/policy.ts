/**
 * Who may run which flows, and who may kill their executions, from chat. The policy file is
 * optional (PATCHBAY_POLICY_FILE): without it everyone may run and kill everything. With it:
 *
 * ```yaml
 * run:                                  # absent: everyone may run every flow
 *   - flows: ["company.ops.*"]          # globs over namespace.flowId (`*` spans dots)
 *     users: [U012ABC, alice]           # Slack user ids, or shell names
 *     groups: [sre]                     # Slack user-group handles/ids (or PATCHBAY_GROUPS_FILE)
 *     channels: [C0456DEF]              # anyone typing in these channels
 *   - flows: ["company.sandbox.*"]
 *     anyone: true
 * kill:                                 # absent: whoever may run a flow may kill its runs
 *   - flows: ["*"]
 *     groups: [sre]
 *     requester: true                   # the person who started the execution
 * ```
 *
 * A rule allows when the flow matches one of its globs and ANY of its who-fields matches;
 * the rules are alternatives. `run: []` means nobody may run from chat.
 */
import type { ChatActor } from '../chat/types.js';
import { matchesGlob } from './glob.js';

export interface PolicyRule {
  flows: string[];
  users: string[];
  groups: string[];
  channels: string[];
  anyone: boolean;
  /** Kill rules only: the execution's starter matches. */
  requester: boolean;
}

export interface PolicyDocument {
  run?: PolicyRule[];
  kill?: PolicyRule[];
}

/** A flow as the policy sees it (a `Flow` fits). */
export interface PolicyFlow {
  namespace: string;
  id: string;
}

/** An execution as the policy sees it (an ExecutionView or ExecutionSummary fits). */
export interface PolicyExecution {
  namespace: string;
  flowId: string;
  createdBy?: string;
}

export interface Policy {
  /** The file it came from; undefined for the open policy. */
  readonly file: string | undefined;
  mayRun(actor: ChatActor, flow: PolicyFlow, channel: string): Promise<boolean>;
  mayKill(actor: ChatActor, execution: PolicyExecution, channel: string): Promise<boolean>;
}

/** No policy file: everyone may run and kill. */
export const openPolicy: Policy = {
  file: undefined,
  mayRun: async () => true,
  mayKill: async () => true,
};

async function ruleAllows(rule: PolicyRule, actor: ChatActor, name: string, channel: string, starter: string | undefined): Promise<boolean> {
  if (!rule.flows.some((pattern) => matchesGlob(pattern, name))) return false;
  if (rule.anyone || rule.users.includes(actor.id) || rule.channels.includes(channel)) return true;
  if (rule.requester && starter !== undefined && starter === actor.id) return true;
  for (const group of rule.groups) if (await actor.isMember?.(group)) return true;
  return false;
}

async function anyAllows(rules: readonly PolicyRule[], actor: ChatActor, name: string, channel: string, starter?: string): Promise<boolean> {
  for (const rule of rules) if (await ruleAllows(rule, actor, name, channel, starter)) return true;
  return false;
}

export function policyFromDocument(document: PolicyDocument, file: string | undefined): Policy {
  const { run, kill } = document;
  return {
    file,
    async mayRun(actor, flow, channel) {
      return run === undefined || anyAllows(run, actor, `${flow.namespace}.${flow.id}`, channel);
    },
    async mayKill(actor, execution, channel) {
      const name = `${execution.namespace}.${execution.flowId}`;
      if (kill !== undefined) return anyAllows(kill, actor, name, channel, execution.createdBy);
      return run === undefined || anyAllows(run, actor, name, channel);
    },
  };
}
