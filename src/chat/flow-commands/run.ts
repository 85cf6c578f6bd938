/**
 * `/flow run [<flow> [key=value …]]`. No flow: a picker. A flow and all it needs: started as
 * the actor, with the chat origin as the execution's trigger. Missing required inputs (or, in
 * Slack, no arguments for a flow that has inputs, so the person sees the form): askInputs.
 * Invalid values: a private reply naming each input and the rule it broke.
 *
 * Typed values are data: they reach the engine as raw text for its coercion, and templates
 * here (SELECT expressions) are the flow author's, with typed values only as variables.
 */
import { createScope, renderTyped } from '../../expr/render.js';
import { toSelectOption, type InputDeclaration } from '../../flow/input-schema.js';
import { nestInputValues } from '../../flow/inputs.js';
import type { Flow } from '../../flow/model.js';
import { maskSecrets } from '../../secrets.js';
import type { PatchbayService } from '../../service/service.js';
import { inputErrorsOf } from '../../slack/blocks/run-modal.js';
import { statusMessage } from '../../slack/blocks/status-message.js';
import { code } from '../../slack/blocks/text.js';
import type { Subcommand } from '../family.js';
import { privateReply } from '../replies.js';
import type { ChatContext, ChatReply, ChatRequest } from '../types.js';
import { askInputsMessage, flowPicker, inputErrorsMessage } from './messages.js';
import { chatOrigin, findFlow, refuseRun } from './shared.js';

/**
 * The values of SELECT/MULTISELECT inputs declared with an `expression`, evaluated now (the
 * run modal shows them as options). A failing expression is left out: the engine reports it
 * when the run is submitted.
 */
export function expressionOptions(service: PatchbayService, flow: Flow, given: Record<string, unknown>): Record<string, string[]> {
  const options: Record<string, string[]> = {};
  const { secrets, clock } = service.engine.context;
  for (const decl of flow.inputs) {
    if (!('expression' in decl) || decl.expression === undefined) continue;
    const scope = createScope({ namespace: flow.namespace, secret: secrets, now: clock });
    try {
      const value = renderTyped(decl.expression.trim(), { inputs: nestInputValues(given) }, scope);
      if (!Array.isArray(value)) continue;
      const values = value.map(toSelectOption).filter((o) => o !== undefined).map((o) => maskSecrets(o.value, scope.revealedSecrets));
      Object.defineProperty(options, decl.id, { value: values, enumerable: true, writable: true, configurable: true });
    } catch {
      // left out on purpose, see above
    }
  }
  return options;
}

function askInputs(service: PatchbayService, flow: Flow, given: Record<string, unknown>, missing: InputDeclaration[]): ChatReply {
  const options = expressionOptions(service, flow, given);
  return { kind: 'askInputs', flow, prefilled: given, options, message: askInputsMessage(flow, given, missing, options) };
}

async function run(given: Record<string, string>, reference: string, request: ChatRequest, context: ChatContext): Promise<ChatReply> {
  const { service } = context;
  const { flow } = await findFlow(service, reference);
  const name = `${flow.namespace}.${flow.id}`;
  if (flow.disabled) return privateReply(`:no_entry_sign: ${code(name)} is disabled.`);
  const refusal = await refuseRun(request, context, flow);
  if (refusal) return refusal;
  // Slack can show a form to review the inputs; the shell has none, so it runs with the defaults.
  if (Object.keys(given).length === 0 && flow.inputs.length > 0 && request.surface === 'slack') return askInputs(service, flow, given, []);
  let executionId: string;
  try {
    executionId = await service.start(name, given, { as: request.actor.id, trigger: { ...chatOrigin(request) } });
  } catch (error) {
    const errors = inputErrorsOf(error);
    if (!errors) throw error;
    if (errors.every((e) => e.rule === 'required')) {
      const ids = new Set(errors.map((e) => e.inputId));
      return askInputs(service, flow, given, flow.inputs.filter((decl) => ids.has(decl.id)));
    }
    return { kind: 'private', message: inputErrorsMessage(flow, errors, given) };
  }
  const view = await service.execution(executionId);
  return { kind: 'started', executionId, message: statusMessage(view, flow) };
}

export const runCommand: Subcommand = {
  name: 'run',
  usage: '/flow run <flow> [key=value …]',
  description: 'start a flow (values with spaces in quotes: note="two words"); without values, asks for them',
  async run(args, request, context) {
    const [reference, ...extra] = args.positionals;
    if (!reference) {
      const flows = [];
      for (const entry of await context.service.flowList()) {
        if (entry.disabled) continue;
        if (context.policy && !(await context.policy.mayRun(request.actor, entry, request.channel))) continue;
        flows.push(entry);
      }
      return { kind: 'private', message: flowPicker(flows) };
    }
    if (extra.length) {
      return privateReply(`:warning: Unexpected ${code(extra.join(' '))}: give inputs as ${code('key=value')}, quoting values with spaces (${code('note="two words"')}).`);
    }
    return run(args.pairs, reference, request, context);
  },
};
