/**
 * The `/flow run <flow>` modal: one input block per flow input, read back into raw values for
 * `resolveInputs`, and the engine's input errors mapped onto the blocks they belong to.
 */
import { ErrorCode, PatchbayError } from '../../errors.js';
import type { InputError } from '../../flow/inputs.js';
import type { Flow } from '../../flow/model.js';
import { VALUE_ACTION_ID, inputBlock, readInputValues } from './input-elements.js';
import type { KnownBlock, ModalView, ViewStateValues } from './slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText, truncate } from './text.js';

export const RUN_CALLBACK_ID = 'flow_run';

export interface RunModalMetadata {
  namespace: string;
  flowId: string;
  channelId: string;
}

export interface RunModalOptions {
  /** Values given on the command line (`/flow run f vm=web-01`); shown as initial values. */
  prefilled?: Record<string, unknown>;
  /** Where the status message goes once the modal is submitted. */
  channelId: string;
  /** Resolved values of SELECT/MULTISELECT inputs declared with an `expression`, by input id. */
  options?: Record<string, string[]>;
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;

/** The modal for running `flow`; throws USAGE when the flow has more inputs than a modal can hold. */
export function buildRunModal(flow: Flow, opts: RunModalOptions): ModalView {
  const name = `${flow.namespace}.${flow.id}`;
  const intro = flow.inputs.length
    ? `*${safeText(name, 300)}*${flow.description ? `\n${safeText(flow.description.trim(), 2500)}` : ''}`
    : `Run *${safeText(name, 300)}* now? It takes no inputs.`;
  const blocks: KnownBlock[] = [{ type: 'section', block_id: '_intro', text: mrkdwn(intro) }];
  const unknown = Object.keys(opts.prefilled ?? {}).filter((key) => !flow.inputs.some((input) => input.id === key));
  if (unknown.length) {
    // The command line named inputs the flow does not have: say so rather than drop them silently.
    const text = `:warning: Not inputs of this flow, ignored: ${unknown.map((key) => code(key, 80)).join(', ')}`;
    blocks.push({ type: 'context', block_id: '_unknown', elements: [mrkdwn(text, LIMITS.contextText)] });
  }
  for (const input of flow.inputs) {
    blocks.push(inputBlock(input, { prefilled: own(opts.prefilled, input.id), options: own(opts.options, input.id) }));
  }
  if (blocks.length > LIMITS.viewBlocks) {
    throw new PatchbayError(
      ErrorCode.USAGE,
      `${name} has ${flow.inputs.length} inputs, more than a Slack form can show; run it with key=value arguments instead`,
    );
  }
  const metadata: RunModalMetadata = { namespace: flow.namespace, flowId: flow.id, channelId: opts.channelId };
  return {
    type: 'modal',
    callback_id: RUN_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain(`Run ${flow.id}`, LIMITS.modalTitle),
    submit: plain('Run', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    blocks,
  };
}

/** Reads `private_metadata` back; a malformed one is a bug or a forged payload, never user error. */
export function parseRunMetadata(text: string): RunModalMetadata {
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  const m = parsed as Partial<RunModalMetadata> | undefined;
  if (!m || typeof m.namespace !== 'string' || typeof m.flowId !== 'string' || typeof m.channelId !== 'string') {
    throw new PatchbayError(ErrorCode.USAGE, 'the run form carries no flow reference; open it again with /flow run');
  }
  return { namespace: m.namespace, flowId: m.flowId, channelId: m.channelId };
}

/** The submitted values, raw (text, numbers, booleans, lists, ISO timestamps), for `resolveInputs`. */
export function readRunModal(flow: Pick<Flow, 'inputs'>, stateValues: ViewStateValues): Record<string, unknown> {
  return readInputValues(flow.inputs, stateValues);
}

/** The engine's input errors, whether given as a list or inside an INPUT_INVALID PatchbayError. */
export function inputErrorsOf(error: unknown): InputError[] | undefined {
  if (Array.isArray(error)) return error as InputError[];
  if (error instanceof PatchbayError && error.code === ErrorCode.INPUT_INVALID && Array.isArray(error.details?.errors)) {
    return error.details.errors as InputError[];
  }
  return undefined;
}

/** The engine's messages read "input 'vm': …"; under the field itself the name is noise. */
const local = (error: InputError): string =>
  error.message.replace(/^input '[^']*'( \(default\))?: /, (_m, fromDefault?: string) => (fromDefault ? 'default: ' : ''));

/**
 * `response_action: 'errors'` entries. Slack only accepts errors on input blocks, so when the
 * submitted view's `blocks` are given, an error whose input has no input block (an unknown key,
 * a FILE input) is put on the first input block with its full message. Several errors of one
 * input are joined.
 */
export function modalErrors(errors: readonly InputError[], blocks?: readonly { type: string; block_id?: string }[]): Record<string, string> {
  const inputIds = blocks?.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
  const out: Record<string, string[]> = {};
  const add = (key: string, message: string): void => void (Object.hasOwn(out, key) ? out[key]! : (out[key] = [])).push(message);
  const placed = (error: InputError): boolean => !inputIds || inputIds.includes(error.inputId);
  // A field's own errors first, then the ones that had nowhere else to go.
  for (const error of errors.filter(placed)) add(error.inputId, local(error));
  for (const error of errors.filter((e) => !placed(e))) add(inputIds?.[0] ?? error.inputId, error.message);
  return Object.fromEntries(Object.entries(out).map(([key, messages]) => [key, truncate(messages.join('; '), LIMITS.hint)]));
}

export { VALUE_ACTION_ID };
