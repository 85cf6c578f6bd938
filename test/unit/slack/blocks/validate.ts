/**
 * A structural Block Kit checker for the builders' tests: known block and element types, unique
 * block ids, Slack's length and count limits. Returns every problem so a failure lists them all.
 */
import { expect } from 'vitest';
import { LIMITS } from '../../../../src/slack/blocks/text.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);

const BLOCK_TYPES = new Set(['section', 'header', 'context', 'actions', 'input', 'divider', 'image']);
const INPUT_ELEMENTS = new Set([
  'plain_text_input', 'number_input', 'checkboxes', 'radio_buttons', 'static_select', 'multi_static_select',
  'datepicker', 'timepicker', 'datetimepicker',
]);

function checkText(problems: string[], where: string, text: unknown, max: number, kind?: 'plain_text' | 'mrkdwn'): void {
  if (!isNode(text) || (text.type !== 'plain_text' && text.type !== 'mrkdwn') || typeof text.text !== 'string') {
    problems.push(`${where}: not a text object`);
    return;
  }
  if (kind && text.type !== kind) problems.push(`${where}: must be ${kind}`);
  if (text.text.length === 0) problems.push(`${where}: empty text`);
  if (text.text.length > max) problems.push(`${where}: ${text.text.length} > ${max} characters`);
}

function checkOptions(problems: string[], where: string, options: unknown, max: number): void {
  const list = nodes(options);
  if (!list.length) problems.push(`${where}: no options`);
  if (list.length > max) problems.push(`${where}: ${list.length} options > ${max}`);
  for (const [i, o] of list.entries()) {
    checkText(problems, `${where}.options[${i}].text`, o.text, LIMITS.optionText, 'plain_text');
    if (typeof o.value !== 'string' || o.value.length > LIMITS.optionValue) problems.push(`${where}.options[${i}].value too long`);
  }
  const values = list.map((o) => o.value);
  if (new Set(values).size !== values.length) problems.push(`${where}: duplicate option values`);
}

function checkElement(problems: string[], where: string, e: Node, actionIds: Set<unknown>): void {
  if (e.action_id !== undefined) {
    if (actionIds.has(e.action_id)) problems.push(`${where}: duplicate action_id ${String(e.action_id)}`);
    actionIds.add(e.action_id);
  }
  switch (e.type) {
    case 'button':
      checkText(problems, `${where}.text`, e.text, LIMITS.buttonText, 'plain_text');
      if (typeof e.value === 'string' && e.value.length > LIMITS.buttonValue) problems.push(`${where}: value too long`);
      if (isNode(e.confirm)) {
        checkText(problems, `${where}.confirm.title`, e.confirm.title, LIMITS.confirmTitle, 'plain_text');
        checkText(problems, `${where}.confirm.text`, e.confirm.text, LIMITS.confirmText);
        checkText(problems, `${where}.confirm.confirm`, e.confirm.confirm, LIMITS.confirmButton, 'plain_text');
        checkText(problems, `${where}.confirm.deny`, e.confirm.deny, LIMITS.confirmButton, 'plain_text');
      }
      return;
    case 'static_select':
    case 'multi_static_select':
      checkOptions(problems, where, e.options, LIMITS.selectOptions);
      return;
    case 'radio_buttons':
    case 'checkboxes':
      checkOptions(problems, where, e.options, LIMITS.radioOptions);
      return;
    case 'plain_text_input':
      if (typeof e.initial_value === 'string' && e.initial_value.length > LIMITS.initialValue) problems.push(`${where}: initial_value too long`);
      return;
    default:
      if (!INPUT_ELEMENTS.has(e.type as string)) problems.push(`${where}: unknown element type ${String(e.type)}`);
  }
}

export function blockProblems(blocks: readonly unknown[], maxBlocks: number = LIMITS.messageBlocks): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const blockIds = new Set<unknown>();
  for (const [i, block] of nodes(blocks).entries()) {
    const where = `blocks[${i}] (${String(block.type)})`;
    if (!BLOCK_TYPES.has(block.type as string)) problems.push(`${where}: unknown block type`);
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > LIMITS.blockId) problems.push(`${where}: bad block_id`);
      if (blockIds.has(block.block_id)) problems.push(`${where}: duplicate block_id ${String(block.block_id)}`);
      blockIds.add(block.block_id);
    }
    const actionIds = new Set<unknown>();
    switch (block.type) {
      case 'header':
        checkText(problems, where, block.text, LIMITS.header, 'plain_text');
        break;
      case 'section':
        if (block.text === undefined && block.fields === undefined) problems.push(`${where}: neither text nor fields`);
        if (block.text !== undefined) checkText(problems, `${where}.text`, block.text, LIMITS.sectionText);
        if (nodes(block.fields).length > LIMITS.fields) problems.push(`${where}: too many fields`);
        for (const [j, f] of nodes(block.fields).entries()) checkText(problems, `${where}.fields[${j}]`, f, LIMITS.fieldText);
        if (isNode(block.accessory)) checkElement(problems, `${where}.accessory`, block.accessory, actionIds);
        break;
      case 'context': {
        const elements = nodes(block.elements);
        if (!elements.length || elements.length > LIMITS.contextElements) problems.push(`${where}: ${elements.length} elements`);
        for (const [j, e] of elements.entries()) checkText(problems, `${where}.elements[${j}]`, e, LIMITS.contextText);
        break;
      }
      case 'actions': {
        const elements = nodes(block.elements);
        if (!elements.length || elements.length > LIMITS.actionsElements) problems.push(`${where}: ${elements.length} elements`);
        for (const [j, e] of elements.entries()) checkElement(problems, `${where}.elements[${j}]`, e, actionIds);
        break;
      }
      case 'input':
        checkText(problems, `${where}.label`, block.label, LIMITS.label, 'plain_text');
        if (block.hint !== undefined) checkText(problems, `${where}.hint`, block.hint, LIMITS.hint, 'plain_text');
        if (!isNode(block.element)) problems.push(`${where}: no element`);
        else checkElement(problems, `${where}.element`, block.element, actionIds);
        break;
      default:
        break;
    }
  }
  return problems;
}

export function expectValidBlocks(blocks: readonly unknown[], maxBlocks?: number): void {
  expect(blockProblems(blocks, maxBlocks)).toEqual([]);
}

/** A modal: title and buttons within 24 characters, metadata within 3000, blocks valid. */
export function expectValidModal(view: Node): void {
  const problems = blockProblems(nodes(view.blocks), LIMITS.viewBlocks);
  checkText(problems, 'title', view.title, LIMITS.modalTitle, 'plain_text');
  if (view.submit !== undefined) checkText(problems, 'submit', view.submit, LIMITS.modalButton, 'plain_text');
  if (view.close !== undefined) checkText(problems, 'close', view.close, LIMITS.modalButton, 'plain_text');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata) problems.push('private_metadata too long');
  if (nodes(view.blocks).some((b) => b.type === 'input') && view.submit === undefined) problems.push('input blocks need a submit button');
  expect(problems).toEqual([]);
}

/** Every text in `value` (deep), for "nothing unescaped leaked" assertions. */
export function allTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allTexts);
  if (isNode(value)) return Object.values(value).flatMap(allTexts);
  return [];
}
