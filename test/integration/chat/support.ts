import type { ChatActor, ChatContext, ChatReply, ChatRequest } from '../../../src/chat/types.js';
import { createChatRegistry } from '../../../src/chat/families.js';
import { blocksToText } from '../../../src/slack/blocks/blocks-to-text.js';

/** Flows the chat tests share: inputs of several kinds, approvals with and without assignees, a long sleep. */
export const chatFlows = [
  `
id: hello
namespace: company.ops
description: Says hello to a VM
inputs:
  - id: vm
    type: STRING
    validator: ^[a-z0-9-]+$
  - id: count
    type: INT
    defaults: 1
    max: 10
  - id: env
    type: SELECT
    expression: "{{ ['dev', 'prod'] }}"
    defaults: dev
  - id: note
    type: STRING
    required: false
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.vm }} x{{ inputs.count }} in {{ inputs.env }}: {{ inputs.note }}"
`,
  `
id: noinputs
namespace: company.sandbox
tasks:
  - id: hi
    type: io.kestra.plugin.core.log.Log
    message: hi
`,
  `
id: gated
namespace: company.ops
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    description: Patch production
    assignment:
      users: [bob]
      groups: [sre]
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
`,
  `
id: paused
namespace: company.ops
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: resumed
`,
  `
id: sleepy
namespace: company.ops
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT60S
`,
];

/** Group membership for tests: `carol` is in `sre`. */
export const GROUPS: Record<string, string[]> = { sre: ['carol'] };
export const member = async (user: string, group: string): Promise<boolean> => GROUPS[group]?.includes(user) ?? false;
export const actor = (id: string): ChatActor => ({ id, isMember: (group) => member(id, group) });

const registry = createChatRegistry({ onError: (error) => { throw error; } });

/** Sends `/flow <text>` as `user` through the registry, as a surface would. */
export function flow(context: ChatContext, text: string, user = 'alice', extra: Partial<ChatRequest> = {}): Promise<ChatReply> {
  return registry.dispatch({ family: 'flow', text, actor: actor(user), channel: 'C_OPS', surface: 'slack', ...extra }, context);
}

export const textOf = (reply: ChatReply): string => blocksToText(reply.message.blocks);

/** Engine start-up (PGlite boot and migrations) can take far longer than a test on a busy CI machine. */
export const BOOT_MS = 120_000;
