/**
 * Modals for a person's decision on a paused task: resume / approve with the task's `onResume`
 * inputs (same widgets as the run modal), and reject with a reason. The decision itself is the
 * engine's compare-and-set; these only collect what the person typed.
 */
import { ErrorCode, PatchbayError } from '../../errors.js';
import { parseInputDeclaration, type InputDeclaration } from '../../flow/input-schema.js';
import type { TaskNode } from '../../tasks/types.js';
import { VALUE_ACTION_ID, inputBlock, readInputValues } from './input-elements.js';
import type { InputBlock, KnownBlock, ModalView, ViewStateValues } from './slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText } from './text.js';

export const RESUME_CALLBACK_ID = 'flow_resume';
export const REJECT_CALLBACK_ID = 'flow_reject';
/** Input ids start with a letter or digit, so this block id can never collide with one. */
export const REASON_BLOCK_ID = '_reason';

export type Decision = 'approve' | 'resume' | 'reject';

export interface DecisionMetadata {
  executionId: string;
  approvalId?: string;
  decision: Decision;
}

interface DecisionSubject {
  executionId: string;
  approvalId?: string;
  taskId: string;
  /** `namespace.flowId`, for the heading. */
  flow?: string;
  /** The task's rendered description (flow-author text with run-time values: escaped here). */
  description?: string | null;
}

export interface ResumeModalOptions extends DecisionSubject {
  /** The task's `onResume` declarations (see `onResumeDeclarations`). */
  inputs: readonly InputDeclaration[];
  /** `approve` for HumanTask/Approval, `resume` for a plain Pause; changes only wording and metadata. */
  decision?: 'approve' | 'resume';
  prefilled?: Record<string, unknown>;
  options?: Record<string, string[]>;
  /** Adds an optional comment field (block `_reason`), e.g. for Approval's commentRequired. */
  withReason?: boolean | 'required';
}

export interface RejectModalOptions extends DecisionSubject {
  reasonRequired?: boolean;
}

/**
 * The `onResume` declarations of a Pause / HumanTask, parsed like flow inputs exactly as the
 * engine's `resumeInputs` does (it reads `onResume` only, so an Approval task's `inputs` are not
 * asked for here either). Throws FLOW_INVALID on a bad declaration.
 */
export function onResumeDeclarations(task: TaskNode | undefined): InputDeclaration[] {
  return Array.isArray(task?.onResume) ? task.onResume.map(parseInputDeclaration) : [];
}

const intro = (s: DecisionSubject, verb: string): KnownBlock => {
  const where = s.flow ? `${code(s.flow, 200)} is waiting at step ${code(s.taskId, 200)}` : `Step ${code(s.taskId, 200)} is waiting`;
  const text = `${where}: ${verb}?${s.description ? `\n${safeText(s.description.trim(), 2500)}` : ''}`;
  return { type: 'section', block_id: '_intro', text: mrkdwn(text) };
};

const reasonBlock = (label: string, required: boolean): InputBlock => ({
  type: 'input',
  block_id: REASON_BLOCK_ID,
  label: plain(label, LIMITS.label),
  element: { type: 'plain_text_input', action_id: VALUE_ACTION_ID, multiline: true, max_length: LIMITS.initialValue },
  ...(required ? {} : { optional: true }),
});

const metadata = (s: DecisionSubject, decision: Decision): string =>
  JSON.stringify({ executionId: s.executionId, ...(s.approvalId ? { approvalId: s.approvalId } : {}), decision } satisfies DecisionMetadata);

export function buildResumeModal(o: ResumeModalOptions): ModalView {
  const decision = o.decision ?? 'resume';
  const verb = decision === 'approve' ? 'Approve' : 'Resume';
  const blocks: KnownBlock[] = [intro(o, verb.toLowerCase())];
  for (const input of o.inputs) {
    const own = <T>(r: Record<string, T> | undefined): T | undefined => (r && Object.hasOwn(r, input.id) ? r[input.id] : undefined);
    blocks.push(inputBlock(input, { prefilled: own(o.prefilled), options: own(o.options) }));
  }
  if (o.withReason) blocks.push(reasonBlock('Comment', o.withReason === 'required'));
  if (blocks.length > LIMITS.viewBlocks) {
    throw new PatchbayError(ErrorCode.USAGE, `step ${o.taskId} asks for more values than a Slack form can show; resume it from the command line`);
  }
  return {
    type: 'modal',
    callback_id: RESUME_CALLBACK_ID,
    private_metadata: metadata(o, decision),
    title: plain(`${verb} ${o.taskId}`, LIMITS.modalTitle),
    submit: plain(verb, LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    blocks,
  };
}

export function buildRejectModal(o: RejectModalOptions): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_CALLBACK_ID,
    private_metadata: metadata(o, 'reject'),
    title: plain(`Reject ${o.taskId}`, LIMITS.modalTitle),
    submit: plain('Reject', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    blocks: [intro(o, 'reject'), reasonBlock('Reason', o.reasonRequired ?? false)],
  };
}

/** The typed reason or comment; blank counts as none. */
export function readReason(stateValues: ViewStateValues): string | undefined {
  const block = Object.hasOwn(stateValues, REASON_BLOCK_ID) ? stateValues[REASON_BLOCK_ID] : undefined;
  const value = block?.[VALUE_ACTION_ID]?.value?.trim();
  return value ? value : undefined;
}

/** The resume form's values (raw, for the engine's coercion) and its optional comment. */
export function readResumeModal(inputs: readonly InputDeclaration[], stateValues: ViewStateValues): { inputs: Record<string, unknown>; reason?: string } {
  const reason = readReason(stateValues);
  return { inputs: readInputValues(inputs, stateValues), ...(reason ? { reason } : {}) };
}

export function parseDecisionMetadata(text: string): DecisionMetadata {
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  const m = parsed as Partial<DecisionMetadata> | undefined;
  const decisions: readonly unknown[] = ['approve', 'resume', 'reject'];
  if (!m || typeof m.executionId !== 'string' || !decisions.includes(m.decision) || (m.approvalId !== undefined && typeof m.approvalId !== 'string')) {
    throw new PatchbayError(ErrorCode.USAGE, 'the decision form carries no execution reference; press the button again');
  }
  return { executionId: m.executionId, decision: m.decision!, ...(m.approvalId ? { approvalId: m.approvalId } : {}) };
}
